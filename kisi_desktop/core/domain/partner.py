"""Partner: a network organisation used for referrals and the Verwaltungswegweiser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import (
    Many,
    Maybe,
)
from kisi_desktop.core.domain.fields import (
    EMAIL_RE,
    LANGUAGE_RE,
    NAME_MAX,
    PHONE_RE,
    SHORT_MAX,
    URL_RE,
    Code,
    Id,
    Text,
)
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase


@dataclass(frozen=True, slots=True, kw_only=True)
class Partner(RecordBase):
    """An organisation; ``services`` are counselling topic codes it covers."""

    KIND: ClassVar[str] = "partner"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ("name", "contact_person", "address")

    id: Annotated[str, Id()] = field(default_factory=new_id)
    name: Annotated[str, Text(NAME_MAX, required=True)]
    partner_type: Annotated[str, Code("partner_types")] = "other"
    services: Annotated[tuple[str, ...], Many(Code("topics"), 30)] = ()
    languages: Annotated[tuple[str, ...], Many(Code("languages", LANGUAGE_RE), 50)] = ()
    contact_person: Annotated[str, Text(NAME_MAX)] = ""
    address: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""
    phone: Annotated[str, Text(40, pattern=PHONE_RE)] = ""
    email: Annotated[str, Text(254, pattern=EMAIL_RE)] = ""
    website: Annotated[str, Text(SHORT_MAX, pattern=URL_RE)] = ""
    handout_role: Annotated[str | None, Maybe(Code("handout_roles"))] = None
    """Which ``{{local.<role>}}`` placeholder of the handouts this partner fills, if any."""

    def label(self) -> str:
        """The organisation's name."""
        return self.name
