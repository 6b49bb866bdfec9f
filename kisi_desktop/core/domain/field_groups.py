"""Field kinds built from other kinds: lists, optional values, counts per code, nested values.

Split from ``fields.py`` to keep each module short; the rules are the same: ``check`` for
Python values, ``encode``/``decode`` for payloads, ``check_ref`` against reference data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kisi_desktop.core.domain.fields import LIST_MAX, Code, Spec, Whole
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

if TYPE_CHECKING:
    from kisi_desktop.core.domain.reference import ReferenceData


class Many(Spec):
    """A list of distinct items of one kind, stored as a tuple."""

    __slots__ = ("item", "max_items")

    def __init__(self, item: Spec, max_items: int = LIST_MAX) -> None:
        self.item = item
        self.max_items = max_items

    def check(self, value: Any, field: str) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise ValidationError(field, _("Expected a list."))
        if len(value) > self.max_items:
            raise ValidationError(field, _("At most {max} entries.").format(max=self.max_items))
        items = tuple(self.item.check(v, field) for v in value)
        if len(set(items)) != len(items):
            raise ValidationError(field, _("Contains the same entry twice."))
        return items

    def encode(self, value: Any) -> list[Any]:
        return [self.item.encode(v) for v in value]

    def decode(self, raw: Any, field: str) -> tuple[Any, ...]:
        if not isinstance(raw, list):
            raise ValidationError(field, _("Expected a list."))
        return tuple(self.item.decode(v, field) for v in raw)

    def check_ref(self, value: Any, field: str, ref: ReferenceData) -> None:
        for v in value:
            self.item.check_ref(v, field, ref)


class Counts(Spec):
    """Headcounts per code (e.g. per gender); a JSON object, a sorted tuple of pairs in Python.

    Pairs rather than a dict keep records immutable and hashable.
    """

    __slots__ = ("enum",)

    def __init__(self, enum: str) -> None:
        self.enum = enum

    def check(self, value: Any, field: str) -> tuple[tuple[str, int], ...]:
        if isinstance(value, Mapping):
            value = tuple(value.items())
        if not isinstance(value, (list, tuple)):
            raise ValidationError(field, _("Expected counts per code."))
        pairs: dict[str, int] = {}
        code, count = Code(self.enum), Whole(0, 1_000_000)
        for pair in value:
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValidationError(field, _("Expected counts per code."))
            key = code.check(pair[0], field)
            if key in pairs:
                raise ValidationError(field, _("Contains the same entry twice."))
            pairs[key] = count.check(pair[1], field)
        return tuple(sorted(pairs.items()))

    def encode(self, value: Any) -> dict[str, int]:
        return dict(value)

    def decode(self, raw: Any, field: str) -> tuple[tuple[str, int], ...]:
        if not isinstance(raw, dict):
            raise ValidationError(field, _("Expected counts per code."))
        return tuple(raw.items())

    def check_ref(self, value: Any, field: str, ref: ReferenceData) -> None:
        for key, _count in value:
            Code(self.enum).check_ref(key, field, ref)


class Nested(Spec):
    """A small value object (e.g. a handout given) with its own to/from_payload."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls

    def check(self, value: Any, field: str) -> Any:
        if not isinstance(value, self.cls):
            raise ValidationError(field, _("Expected an entry."))
        return value

    def encode(self, value: Any) -> Any:
        return value.to_payload()

    def decode(self, raw: Any, field: str) -> Any:
        try:
            return self.cls.from_payload(raw)
        except ValidationError as error:
            raise ValidationError(f"{field}.{error.field}", error.message) from None

    def check_ref(self, value: Any, field: str, ref: ReferenceData) -> None:
        try:
            value.validate(ref)
        except ValidationError as error:
            raise ValidationError(f"{field}.{error.field}", error.message) from None


class Maybe(Spec):
    """``None`` or a value of the wrapped kind."""

    __slots__ = ("inner",)

    def __init__(self, inner: Spec) -> None:
        self.inner = inner

    def check(self, value: Any, field: str) -> Any:
        return None if value is None else self.inner.check(value, field)

    def encode(self, value: Any) -> Any:
        return None if value is None else self.inner.encode(value)

    def decode(self, raw: Any, field: str) -> Any:
        return None if raw is None else self.inner.decode(raw, field)

    def check_ref(self, value: Any, field: str, ref: ReferenceData) -> None:
        if value is not None:
            self.inner.check_ref(value, field, ref)
