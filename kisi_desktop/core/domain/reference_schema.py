"""What the reference-data files may contain: file names, enumerations and their extra keys.

Also the value types the lookups return. A new enumeration or a new attribute on an
enumeration entry is declared here first; ``reference_check.py`` then enforces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

CODES = "codes"  # marker type: a list of code strings
# Extra keys an entry of each enumeration may (False) or must (True) carry, with their type.
COMMON: dict[str, tuple[Any, bool]] = {"verified": (bool, False), "note": (str, False)}
SUPPORT = {"amif_support": (CODES, False)}
EXTRAS: Mapping[str, Mapping[str, tuple[Any, bool]]] = MappingProxyType(
    {
        "genders": {"export": (str, True)},
        "residence_statuses": {"amif_eligible": (bool, True), "legal_basis": (str, False)},
        "evidence_types": {},
        "consent_purposes": {"needs_partner": (bool, True)},
        "case_statuses": {"closed": (bool, True)},
        "contact_modes": {},
        "interpreter_types": {"uses_language": (bool, True), "discouraged": (bool, False)},
        "topics": SUPPORT,
        "actions": SUPPORT,
        "amif_support": {},
        "referral_targets": {},
        "referral_statuses": {},
        "outcome_kinds": {"allows": (CODES, True), "requires": (CODES, True)},
        "feedback_answers": {},
        "cefr_levels": {},
        "partner_types": {},
        "activity_types": SUPPORT,
        "target_groups": {},
        "payment_regimes": {
            "cap_key": (str, False),
            "hourly_key": (str, False),
            "hours_cap_key": (str, False),
            "other_programme": (str, False),
        },
        "deployment_kinds": {},
        "expense_eligibility": {},
        "vehicle_types": {
            "rate_key": (str, True),
            "rate_key_valid_reasons": (str, False),
            "takes_passengers": (bool, False),
        },
        "handout_topics": {},
        "handout_roles": {},
        "funding_modes": {},
        "flat_rate_bases": {},
        "needs": {},
        "urgencies": {},
        "publication_types": {},
        "handout_languages": {},
        "budget_categories": {"funding_modes": (CODES, False), "flat_rate_bases": (CODES, False)},
        "countries": {"eu_eea_ch": (bool, True), "user_assigned": (bool, False)},
        "languages": {},
        "indicators": {
            "basis": (str, True),
            "parent": (str, False),
            "support": (str, False),
            "topic": (str, False),
            "outcome": (str, False),
            "answer": (str, False),
            "min_levels_gained": (int, False),
        },
    }
)
# file -> (key holding its entries, enumeration name or None for "a dict of enumerations")
ENTRY_FILES = {
    "enumerations.json": ("enumerations", None),
    "budget_categories.json": ("categories", "budget_categories"),
    "countries.json": ("countries", "countries"),
    "languages.json": ("languages", "languages"),
    "indicators.json": ("indicators", "indicators"),
}
TABLE_FILES = ("rates.json", "retention.json")
HEADER = ("version", "valid_from", "source")


class ReferenceDataError(UserError):
    """A reference-data file is missing, malformed or inconsistent."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(
            _("Reference data {file}, {key}: {problem}").format(file=file, key=key, problem=problem)
        )
        self.file, self.key, self.problem = file, key, problem


@dataclass(frozen=True, slots=True)
class Entry:
    """One enumeration value: its code, German and English labels, and extra attributes."""

    code: str
    de: str
    en: str
    extra: Mapping[str, Any]

    def label(self, language: str) -> str:
        """The label in ``language`` (``de`` or ``en``; English for anything else)."""
        return self.de if language == "de" else self.en


@dataclass(frozen=True, slots=True)
class DatedValue:
    """A value valid from ``valid_from`` to ``valid_to`` (inclusive; None = open-ended)."""

    valid_from: date
    valid_to: date | None
    value: Decimal
    verified: bool
    source: str

    def covers(self, day: date) -> bool:
        """Whether this value applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class FileInfo:
    """Provenance of one loaded file, for reports and export manifests."""

    version: int
    valid_from: date
    source: str


FILE_NAMES = (*ENTRY_FILES, *TABLE_FILES)
