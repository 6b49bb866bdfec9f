"""Strict checks of the reference-data documents; every error names file and key.

Kept apart from ``reference.py`` so that the lookup API stays small to read; this is the one
place that parses the files (STYLE.md rule 10).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kisi_desktop.core.domain.fields import parse_date
from kisi_desktop.core.domain.reference_schema import (
    CODES,
    COMMON,
    ENTRY_FILES,
    EXTRAS,
    HEADER,
    TABLE_FILES,
    DatedValue,
    Entry,
    FileInfo,
    ReferenceDataError,
)
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _

_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_TABLE_KEYS = {"unit", "source", "values"}
_DATED_KEYS = {"valid_from", "valid_to", "value", "verified", "source"}

Checked = tuple[
    dict[str, dict[str, Entry]],
    dict[str, dict[str, tuple[DatedValue, ...]]],
    Entry,
    dict[str, FileInfo],
]


def check_documents(docs: Mapping[str, Any]) -> Checked:
    """Check all documents and return enumerations, dated tables, stateless entry, provenance."""
    enums: dict[str, dict[str, Entry]] = {}
    tables: dict[str, dict[str, tuple[DatedValue, ...]]] = {}
    files: dict[str, FileInfo] = {}
    stateless: Entry | None = None
    for name, (key, enum_name) in ENTRY_FILES.items():
        extra_keys = {"stateless"} if name == "countries.json" else set()
        doc = _document(docs, name, {key} | extra_keys)
        files[name] = _header(name, doc)
        if enum_name is None:
            groups = _object(doc[key], name, key)
            for group, entries in groups.items():
                enums[group] = _entries(name, group, entries)
        else:
            enums[enum_name] = _entries(name, enum_name, doc[key])
        if name == "countries.json":
            raw = _object(doc.get("stateless"), name, "stateless")
            _exact_keys(raw, {"de", "en", "third_country_national"}, name, "stateless")
            stateless = Entry(
                "stateless",
                _label(raw, "de", name, "stateless"),
                _label(raw, "en", name, "stateless"),
                MappingProxyType(
                    {
                        "third_country_national": _bool(
                            raw["third_country_national"], name, "stateless.third_country_national"
                        )
                    }
                ),
            )
    for name in TABLE_FILES:
        doc = _document(docs, name, {"tables"})
        files[name] = _header(name, doc)
        for table, body in _object(doc["tables"], name, "tables").items():
            if table in tables:
                raise ReferenceDataError(name, table, _("Table defined twice."))
            tables[table] = _table(name, table, body)
    missing = set(EXTRAS) - set(enums)
    if missing:
        raise ReferenceDataError("enumerations.json", sorted(missing)[0], _("Missing."))
    assert stateless is not None  # noqa: S101 - countries.json is always checked above
    _cross_checks(enums, tables)
    return enums, tables, stateless, files


def _document(docs: Mapping[str, Any], name: str, keys: set[str]) -> dict[str, Any]:
    if name not in docs:
        raise ReferenceDataError(name, "-", _("File is missing."))
    doc = _object(docs[name], name, "-")
    _exact_keys(doc, set(HEADER) | keys, name, "-")
    return doc


def _header(name: str, doc: Mapping[str, Any]) -> FileInfo:
    version = doc["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ReferenceDataError(name, "version", _("Expected a whole number of at least 1."))
    return FileInfo(
        version, _date(doc["valid_from"], name, "valid_from"), _label(doc, "source", name, "source")
    )


def _entries(name: str, enum_name: str, raw: Any) -> dict[str, Entry]:
    if enum_name not in EXTRAS:
        raise ReferenceDataError(name, enum_name, _("Unknown enumeration."))
    if not isinstance(raw, list) or not raw:
        raise ReferenceDataError(name, enum_name, _("Expected a non-empty list."))
    allowed = {**COMMON, **EXTRAS[enum_name]}
    result: dict[str, Entry] = {}
    for index, item in enumerate(raw):
        where = f"{enum_name}[{index}]"
        item = _object(item, name, where)
        code = item.get("code")
        if not isinstance(code, str) or _CODE_RE.fullmatch(code) is None:
            raise ReferenceDataError(name, f"{where}.code", _("Not a valid code."))
        where = f"{enum_name}.{code}"
        if code in result:
            raise ReferenceDataError(name, where, _("Code defined twice."))
        extra: dict[str, Any] = {}
        for key, value in item.items():
            if key in ("code", "de", "en"):
                continue
            if key not in allowed:
                raise ReferenceDataError(name, f"{where}.{key}", _("Unknown key."))
            extra[key] = _typed(value, allowed[key][0], name, f"{where}.{key}")
        for key, (_kind, required) in allowed.items():
            if required and key not in extra:
                raise ReferenceDataError(name, f"{where}.{key}", _("Missing."))
        result[code] = Entry(
            code,
            _label(item, "de", name, where),
            _label(item, "en", name, where),
            MappingProxyType(extra),
        )
    return result


def _table(name: str, table: str, body: Any) -> dict[str, tuple[DatedValue, ...]]:
    body = _object(body, name, table)
    _exact_keys(body, _TABLE_KEYS, name, table)
    _label(body, "unit", name, table)
    _label(body, "source", name, table)
    result: dict[str, tuple[DatedValue, ...]] = {}
    for key, values in _object(body["values"], name, f"{table}.values").items():
        where = f"{table}.{key}"
        if not isinstance(values, list) or not values:
            raise ReferenceDataError(name, where, _("Expected a non-empty list."))
        dated = []
        for index, raw in enumerate(values):
            at = f"{where}[{index}]"
            raw = _object(raw, name, at)
            if not set(raw) <= _DATED_KEYS or "valid_from" not in raw or "value" not in raw:
                raise ReferenceDataError(
                    name,
                    at,
                    _("Expected valid_from, value and optional valid_to, verified, source."),
                )
            value = raw["value"]
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                raise ReferenceDataError(name, f"{at}.value", _("Expected a number."))
            start = _date(raw["valid_from"], name, f"{at}.valid_from")
            end = (
                None
                if raw.get("valid_to") is None
                else _date(raw["valid_to"], name, f"{at}.valid_to")
            )
            if end is not None and end < start:
                raise ReferenceDataError(name, f"{at}.valid_to", _("Ends before it starts."))
            dated.append(
                DatedValue(
                    start,
                    end,
                    Decimal(value),
                    _bool(raw.get("verified", True), name, f"{at}.verified"),
                    str(raw.get("source", "")),
                )
            )
        dated.sort(key=lambda d: d.valid_from)
        for before, after in itertools.pairwise(dated):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise ReferenceDataError(name, where, _("Validity periods overlap."))
        result[key] = tuple(dated)
    return result


def _cross_checks(
    enums: Mapping[str, Mapping[str, Entry]],
    tables: Mapping[str, Mapping[str, tuple[DatedValue, ...]]],
) -> None:
    """References between files: rate keys exist, support flags and outcome fields are known."""
    for entry in enums["vehicle_types"].values():
        for key in ("rate_key", "rate_key_valid_reasons"):
            rate = entry.extra.get(key)
            if rate is not None and rate not in tables.get("travel_km", {}):
                raise ReferenceDataError(
                    "enumerations.json",
                    f"vehicle_types.{entry.code}.{key}",
                    _("No such rate in rates.json."),
                )
    regime_tables = {
        "cap_key": "volunteer_caps",
        "hourly_key": "volunteer_hourly",
        "hours_cap_key": "volunteer_hours_caps",
    }
    for entry in enums["payment_regimes"].values():
        for key, table in regime_tables.items():
            rate = entry.extra.get(key)
            if rate is not None and rate not in tables.get(table, {}):
                raise ReferenceDataError(
                    "enumerations.json",
                    f"payment_regimes.{entry.code}.{key}",
                    _("No such rate in rates.json."),
                )
    for entry in enums["flat_rate_bases"].values():
        if entry.code not in tables.get("flat_rates", {}):
            raise ReferenceDataError(
                "enumerations.json",
                f"flat_rate_bases.{entry.code}",
                _("No such rate in rates.json."),
            )
    for entry in enums["budget_categories"].values():
        if "flat_rate" in entry.extra.get("funding_modes", ()) and not entry.extra.get(
            "flat_rate_bases"
        ):
            raise ReferenceDataError(
                "budget_categories.json",
                f"{entry.code}.flat_rate_bases",
                _("A category funded at a flat rate names its bases."),
            )
        for code in entry.extra.get("flat_rate_bases", ()):
            if code not in enums["flat_rate_bases"]:
                raise ReferenceDataError(
                    "budget_categories.json",
                    f"{entry.code}.flat_rate_bases",
                    _("Unknown code {code}.").format(code=code),
                )
    for group in ("topics", "actions", "activity_types"):
        for entry in enums[group].values():
            for flag in entry.extra.get("amif_support", ()):
                if flag not in enums["amif_support"]:
                    raise ReferenceDataError(
                        "enumerations.json",
                        f"{group}.{entry.code}",
                        _("Unknown code {code}.").format(code=flag),
                    )
    outcome_fields = {"level_before", "level_after", "feedback"}
    for entry in enums["outcome_kinds"].values():
        allows, requires = set(entry.extra["allows"]), set(entry.extra["requires"])
        if not allows <= outcome_fields or not requires <= allows:
            raise ReferenceDataError(
                "enumerations.json",
                f"outcome_kinds.{entry.code}",
                _("Fields must be among {fields}, and required fields must be allowed.").format(
                    fields=", ".join(sorted(outcome_fields))
                ),
            )


def _object(raw: Any, name: str, key: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ReferenceDataError(name, key, _("Expected an object."))
    return raw


def _exact_keys(raw: Mapping[str, Any], keys: set[str], name: str, where: str) -> None:
    for key in raw:
        if key not in keys:
            raise ReferenceDataError(name, f"{where}.{key}", _("Unknown key."))
    for key in keys:
        if key not in raw:
            raise ReferenceDataError(name, f"{where}.{key}", _("Missing."))


def _label(raw: Mapping[str, Any], key: str, name: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReferenceDataError(name, f"{where}.{key}", _("Expected non-empty text."))
    return value


def _bool(value: Any, name: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ReferenceDataError(name, where, _("Expected true or false."))
    return value


def _date(value: Any, name: str, where: str) -> Any:
    try:
        return parse_date(value, where)
    except ValidationError:
        raise ReferenceDataError(name, where, _("Expected a date (YYYY-MM-DD).")) from None


def _typed(value: Any, kind: Any, name: str, where: str) -> Any:
    if kind is CODES:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ReferenceDataError(name, where, _("Expected a list of codes."))
        return tuple(value)
    if kind is bool:
        return _bool(value, name, where)
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ReferenceDataError(name, where, _("Expected a whole number."))
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise ReferenceDataError(name, where, _("Expected non-empty text."))
    return value
