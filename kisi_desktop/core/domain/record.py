"""Behaviour shared by every record: field checks, payload codec and reference checks.

Record classes are frozen dataclasses whose fields are annotated
``Annotated[type, Spec]`` (see ``fields.py``); the
methods here walk those specs, so each record module only states its fields and its
cross-field rules (``_check``) and reference-data rules (``_check_ref``).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

from kisi_desktop.core.domain.fields import Spec
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

if TYPE_CHECKING:
    from kisi_desktop.core.domain.reference import ReferenceData


_SPECS: dict[type[Any], tuple[tuple[dataclasses.Field[Any], Spec], ...]] = {}


def _specs(cls: type[Any]) -> tuple[tuple[dataclasses.Field[Any], Spec], ...]:
    """Each field with the Spec in its ``Annotated[...]`` hint (resolved once per class)."""
    cached = _SPECS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls, include_extras=True)
    result = []
    for f in dataclasses.fields(cls):
        kinds = [a for a in getattr(hints[f.name], "__metadata__", ()) if isinstance(a, Spec)]
        if len(kinds) != 1:
            raise TypeError(f"{cls.__name__}.{f.name} needs exactly one Spec annotation")
        result.append((f, kinds[0]))
    _SPECS[cls] = tuple(result)
    return _SPECS[cls]


def field_specs(cls: type[Any]) -> tuple[tuple[dataclasses.Field[Any], Spec], ...]:
    """Each field of a record class with its Spec, in declaration order.

    Forms read this to pick a widget per field (text, code list, date...), so the domain
    stays the one place that says what a field is.
    """
    return _specs(cls)


def field_errors(cls: type[Any], values: Mapping[str, Any], ref: ReferenceData) -> dict[str, str]:
    """Every field of ``values`` that its kind refuses, with the message, checked one by one.

    Building the record stops at the first refused field; a form calls this first so the
    guide sees every field to correct at once instead of one per attempt to save. Rules
    across fields are left to the record itself once each field is fine.
    """
    kinds = {f.name: kind for f, kind in _specs(cls)}
    errors: dict[str, str] = {}
    for name, value in values.items():
        kind = kinds.get(name)
        if kind is None:
            continue
        try:
            kind.check_ref(kind.check(value, name), name, ref)
        except ValidationError as error:
            errors.setdefault(error.field.split(".", 1)[0], error.message)
    return errors


class Value:
    """Base of validated immutable values; subclasses are frozen, slotted dataclasses."""

    __slots__ = ()

    def __post_init__(self) -> None:
        """Check every field's type and format, normalise (lists to tuples), then cross-checks."""
        for f, kind in _specs(type(self)):
            value = getattr(self, f.name)
            checked = kind.check(value, f.name)
            if checked is not value:
                object.__setattr__(self, f.name, checked)
        self._check()

    def _check(self) -> None:
        """Rules across fields (date order, either/or); override in subclasses."""

    def _check_ref(self, ref: ReferenceData) -> None:
        """Rules that need reference data beyond "the code exists"; override in subclasses."""

    def to_payload(self) -> dict[str, Any]:
        """The JSON-safe form: ISO dates, Decimals as strings, lists, codes as strings."""
        return {f.name: kind.encode(getattr(self, f.name)) for f, kind in _specs(type(self))}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_payload` output, refusing unknown keys and wrong JSON types.

        A missing key takes the field's default, except ``id``, which must be present so
        that a damaged payload can never silently become a new record.
        """
        if not isinstance(payload, Mapping):
            raise ValidationError("payload", _("Expected an object."))
        fields = {f.name: (f, kind) for f, kind in _specs(cls)}
        for key in payload:
            if key not in fields:
                raise ValidationError(str(key), _("Unknown field."))
        values: dict[str, Any] = {}
        for name, (f, kind) in fields.items():
            if name in payload:
                values[name] = kind.decode(payload[name], name)
            elif name == "id" or (
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ):
                raise ValidationError(name, _("This field is required."))
        return cls(**values)

    def validate(self, ref: ReferenceData) -> None:
        """Check every code against reference data, then the record's own reference rules."""
        for f, kind in _specs(type(self)):
            kind.check_ref(getattr(self, f.name), f.name, ref)
        self._check_ref(ref)


class RecordBase(Value):
    """Base of the stored record kinds (see ``registry.Record`` for the contract)."""

    __slots__ = ()

    KIND: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1
    # Fields that full-text search indexes, and the field a search hit shows as its label
    # (LABEL_FIELDS, else the first search field). LABEL_FIELDS also names a record's
    # title, the one text a person's Art. 15 copy keeps of a record that only mentions them.
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()
    LABEL_FIELDS: ClassVar[tuple[str, ...]] = ()
    DAY_FIELD: ClassVar[str | None] = None
    """The field holding the day the record is about (indexed in the working set)."""

    def owner_person_id(self) -> str | None:
        """The Person whose key seals this record; None for records about no one person."""
        return None

    def entry_check(self) -> None:
        """Rules for what is entered now (a form, a command), checked when a record is
        added or updated but not when it is loaded or rewritten by an erasure: records
        stored before a rule existed still open, and their next edit meets it."""

    def search_text(self) -> str:
        """Text the full-text search should find: the fields named in ``SEARCH_FIELDS``.

        The working set indexes the same fields straight from the stored JSON, so this
        list is the one place that says what is searchable.
        """
        return join_text(*(str(getattr(self, name) or "") for name in self.SEARCH_FIELDS))

    def label(self) -> str:
        """A short display label."""
        raise NotImplementedError


def join_text(*parts: str | None) -> str:
    """Join the non-empty parts with newlines, for search_text."""
    return "\n".join(p for p in parts if p)


def short(text: str, limit: int = 60) -> str:
    """The first line of ``text``, cut to ``limit`` characters with an ellipsis."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
