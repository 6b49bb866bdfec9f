"""BudgetPlan: the planned amount of one budget category in one project year.

Entered once from the grant decision (Zuwendungsbescheid); expenses are booked against it by
category and date. The sum over categories and years may not exceed the grant cap, which
the budget report checks (the cap is a rate in ``rates.json``, not a constant here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, ClassVar

from kisi_desktop.core.domain.field_groups import Maybe
from kisi_desktop.core.domain.fields import SHORT_MAX, Amount, Code, Id, Text, Whole
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.domain.record import RecordBase
from kisi_desktop.core.domain.reference import ReferenceData
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import _


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetPlan(RecordBase):
    """``planned`` EUR for ``category`` in project year ``project_year`` (1-3)."""

    KIND: ClassVar[str] = "budget_plan"
    SCHEMA_VERSION: ClassVar[int] = 1
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Annotated[str, Id()] = field(default_factory=new_id)
    category: Annotated[str, Code("budget_categories")]
    project_year: Annotated[int, Whole(1, 3)]
    planned: Annotated[Decimal, Amount()]
    funding_mode: Annotated[str, Code("funding_modes")] = "real_cost"
    flat_rate_percent: Annotated[Decimal | None, Maybe(Amount(maximum=Decimal(100)))] = None
    """For a flat rate: the percentage of the base (7 % of direct costs, 15 % of staff)."""
    flat_rate_base: Annotated[str | None, Maybe(Code("flat_rate_bases"))] = None
    """For a flat rate: what the percentage is of (Art. 54 Reg. (EU) 2021/1060 allows
    either base for indirect costs; Art. 55(1) the other direct costs for staff costs); as
    the grant decision says. Unset (indirect-cost plans made before): read from the
    percentage, 7 % or less of direct costs, more of staff costs."""
    note: Annotated[str, Text(SHORT_MAX, multiline=True)] = ""

    def _check(self) -> None:
        if (self.funding_mode == "flat_rate") != (self.flat_rate_percent is not None):
            raise ValidationError(
                "flat_rate_percent", _("A flat rate needs its percentage, and only a flat rate.")
            )
        if self.flat_rate_base is not None and self.funding_mode != "flat_rate":
            raise ValidationError("flat_rate_base", _("Only a flat rate has a base."))

    def _check_ref(self, ref: ReferenceData) -> None:
        category = ref.entry("budget_categories", self.category).extra
        if self.funding_mode not in (category.get("funding_modes") or ()):
            raise ValidationError("funding_mode", _("This category cannot be funded this way."))
        if self.funding_mode != "flat_rate":
            return
        # Indirect costs are a share of direct or staff costs (Art. 54); the staff line a
        # share of the other direct costs (Art. 55(1)): each category has its own bases.
        bases = tuple(category.get("flat_rate_bases") or ())
        if self.flat_rate_base is not None and self.flat_rate_base not in bases:
            raise ValidationError("flat_rate_base", _("This category cannot take this base."))
        if self.flat_rate_base is None and len(bases) == 1:
            raise ValidationError(
                "flat_rate_base", _("Choose the base as the grant decision names it.")
            )

    def label(self) -> str:
        """Category and project year, e.g. ``travel PY2``."""
        return f"{self.category} PY{self.project_year}"
