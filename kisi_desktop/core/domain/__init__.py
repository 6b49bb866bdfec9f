"""Domain model: validated, immutable records and the reference data they are checked against.

Qt-free and storage-free. Each record kind is a frozen dataclass (see ``registry.Record``);
every rate, category and enumeration lives in ``resources/data`` (``reference.py``).
"""

from kisi_desktop.core.domain.activity import Activity
from kisi_desktop.core.domain.budget import Expense, Trip
from kisi_desktop.core.domain.budget_plan import BudgetPlan
from kisi_desktop.core.domain.case import Case
from kisi_desktop.core.domain.consent import Consent
from kisi_desktop.core.domain.contact import Contact, Handout
from kisi_desktop.core.domain.draft import Draft
from kisi_desktop.core.domain.handout_given import HandoutGiven
from kisi_desktop.core.domain.municipality import Guide, Municipality
from kisi_desktop.core.domain.need import Need
from kisi_desktop.core.domain.note import FollowUp, Note
from kisi_desktop.core.domain.outcome import OutcomeEvent
from kisi_desktop.core.domain.partner import Partner
from kisi_desktop.core.domain.person import Person
from kisi_desktop.core.domain.publication import Publication
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.domain.referral import Referral
from kisi_desktop.core.domain.registry import RECORD_TYPES, Record
from kisi_desktop.core.domain.time_sheet import TimeSheet
from kisi_desktop.core.domain.volunteer import Training, Volunteer, VolunteerDeployment

__all__ = [
    "RECORD_TYPES",
    "Activity",
    "BudgetPlan",
    "Case",
    "Consent",
    "Contact",
    "Draft",
    "Expense",
    "FollowUp",
    "Guide",
    "Handout",
    "HandoutGiven",
    "Municipality",
    "Need",
    "Note",
    "OutcomeEvent",
    "Partner",
    "Person",
    "Publication",
    "Record",
    "ReferenceData",
    "Referral",
    "TimeSheet",
    "Training",
    "Trip",
    "Volunteer",
    "VolunteerDeployment",
]
