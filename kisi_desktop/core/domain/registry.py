"""The record contract and the map from KIND to record class.

The sealed store and the CLI depend only on this module: ``RECORD_TYPES[kind]`` gives the
class whose ``from_payload`` opens a stored payload. It is a read-only constant, not a
registry anyone can add to at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

from kisi_desktop.core.domain.activity import Activity
from kisi_desktop.core.domain.budget import Expense, Trip
from kisi_desktop.core.domain.budget_plan import BudgetPlan
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.domain.case import Case
from kisi_desktop.core.domain.consent import Consent
from kisi_desktop.core.domain.contact import Contact
from kisi_desktop.core.domain.content_pack import InstalledContentPack
from kisi_desktop.core.domain.draft import Draft
from kisi_desktop.core.domain.handout_given import HandoutGiven
from kisi_desktop.core.domain.municipality import Guide, Municipality
from kisi_desktop.core.domain.need import Need
from kisi_desktop.core.domain.note import FollowUp, Note
from kisi_desktop.core.domain.outcome import OutcomeEvent
from kisi_desktop.core.domain.partner import Partner
from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.domain.provisioning import ProvisioningRecord, PseudonymKey
from kisi_desktop.core.domain.publication import Publication
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.referral import Referral
from kisi_desktop.core.domain.signing_key import SigningKey
from kisi_desktop.core.domain.time_sheet import TimeSheet
from kisi_desktop.core.domain.volunteer import Training, Volunteer, VolunteerDeployment


@runtime_checkable
class Record(Protocol):
    """What every stored record offers (frozen dataclass; edit with dataclasses.replace)."""

    KIND: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    @property
    def id(self) -> str:
        """32 lowercase hex characters (read-only: records are frozen)."""
        ...

    def to_payload(self) -> dict[str, Any]:
        """JSON-safe form."""
        ...

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """Inverse of to_payload; ValidationError on bad input."""
        ...

    def owner_person_id(self) -> str | None:
        """The Person whose key seals this record, or None."""
        ...

    def search_text(self) -> str:
        """Text for full-text search."""
        ...

    def label(self) -> str:
        """Short display label."""
        ...

    def entry_check(self) -> None:
        """Rules for a record added or updated by hand; ValidationError(field, message)."""
        ...

    def validate(self, ref: ReferenceData) -> None:
        """Check codes against reference data; ValidationError(field, message)."""
        ...


RECORD_TYPES: Mapping[str, type[Record]] = MappingProxyType(
    {
        cls.KIND: cls
        for cls in (
            Municipality,
            Guide,
            TimeSheet,
            Person,
            Consent,
            Case,
            Contact,
            Referral,
            OutcomeEvent,
            Note,
            FollowUp,
            Partner,
            Activity,
            Volunteer,
            VolunteerDeployment,
            Training,
            Expense,
            Trip,
            HandoutGiven,
            BudgetPlan,
            Need,
            Publication,
            SigningKey,
            InstalledContentPack,
            BundleEntry,
            ProvisioningRecord,
            PseudonymKey,
            Draft,
        )
    }
)
