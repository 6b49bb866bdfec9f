"""``kisi expense``: payments by budget category, with the total allocated to KISI."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from kisi_desktop.core.domain import Expense
from kisi_desktop.core.domain.budget import allocated_amount
from kisi_desktop.core.i18n import _, format_money
from kisi_desktop.core.record_text import code_label

from kisi_desktop.cli.args import (
    add_actions,
    add_json,
    amount,
    build,
    day,
    free_text,
    maybe_day,
    save,
)
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context
from kisi_desktop.cli.output import table

OPTIONS = {
    "spent_on": "--date",
    "amount": "--amount",
    "category": "--category",
    "payee": "--payee",
    "receipt_ref": "--receipt",
    "eligibility": "--eligibility",
    "description": "--description",
    "allocation_percent": "--allocation",
    "paid_on": "--paid",
}


def register(sub: Any) -> None:
    """Add ``expense``."""
    p = sub.add_parser("expense", help=command_help("expense"))
    actions = add_actions(p)
    a = actions.add_parser("add", help=_("record an expense; prints the new id"))
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("day of the expense"))
    a.add_argument("--amount", required=True, help=_("amount in EUR, e.g. 120.50"))
    a.add_argument("--category", required=True, help=_("budget category code, e.g. travel"))
    a.add_argument("--payee", required=True, help=_("who was paid"))
    a.add_argument("--receipt", default="", help=_("receipt (Beleg) reference"))
    a.add_argument("--eligibility", default="unclear", help=_("eligible, ineligible or unclear"))
    a.add_argument(
        "--description", default="", help=_("what it was for (- reads it from standard input)")
    )
    a.add_argument("--allocation", default="100", help=_("percent charged to KISI"))
    a.add_argument("--paid", metavar="YYYY-MM-DD", help=_("day it was paid"))
    add_json(a)
    a.set_defaults(handler=add_expense)
    ls = actions.add_parser("list", help=_("list expenses, newest first, with the total"))
    ls.add_argument("--category", help=_("only this budget category"))
    ls.add_argument("--year", type=int, help=_("only this calendar year"))
    add_json(ls)
    ls.set_defaults(handler=list_expenses)


def add_expense(ctx: Context, args: argparse.Namespace) -> int:
    """Record an expense."""
    ws = ctx.open_workspace()
    expense = build(
        Expense,
        OPTIONS,
        spent_on=day(args.date, "--date"),
        amount=amount(args.amount, "--amount"),
        category=args.category.strip().lower(),
        payee=args.payee.strip(),
        receipt_ref=args.receipt.strip(),
        eligibility=args.eligibility.strip().lower(),
        description=free_text(args.description),
        allocation_percent=amount(args.allocation, "--allocation"),
        paid_on=maybe_day(args.paid, "--paid"),
    )
    save(ws, [expense], "add", OPTIONS)
    ctx.emit({"id": expense.id}, expense.id)
    return 0


def list_expenses(ctx: Context, args: argparse.Namespace) -> int:
    """Expenses, newest first, and the total allocated to KISI."""
    ws = ctx.open_workspace()
    category = args.category.strip().lower() if args.category else None
    items = sorted(
        (
            e
            for e in ws.list(Expense)
            if category in (None, e.category) and args.year in (None, e.spent_on.year)
        ),
        key=lambda e: (e.spent_on, e.id),
        reverse=True,
    )
    total = sum((allocated_amount(e) for e in items), Decimal(0))
    rows = [
        (
            e.id,
            e.spent_on,
            code_label(ws.ref, "budget_categories", e.category),
            e.payee,
            format_money(e.amount),
            code_label(ws.ref, "expense_eligibility", e.eligibility),
        )
        for e in items
    ]
    headers = (_("ID"), _("Date"), _("Category"), _("Payee"), _("Amount"), _("Eligibility"))
    lines = table(headers, rows) if rows else [_("No expenses yet.")]
    if rows:
        lines.append(_("Total allocated to KISI: {total}").format(total=format_money(total)))
    ctx.emit([e.to_payload() for e in items], lines)
    return 0
