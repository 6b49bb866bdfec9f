"""Every ``kisi`` command by name: its one-line help and the module that builds its parser.

Read without importing the commands' modules: ``kisi --help`` lists the commands from here
alone, and a command imports only its own module (``cli/commands.py``). Those modules took
two of the 3.6 s that ``kisi --help`` needed on a slow laptop, mostly for ReportLab,
openpyxl and cryptography, which the help never uses.
"""

from __future__ import annotations

from typing import NamedTuple

from kisi_desktop.core.i18n import N_, _


class Command(NamedTuple):
    """A top-level command: its name, its module in ``kisi_desktop.cli``, its help."""

    name: str
    module: str
    help: str


# In the order `kisi --help` lists them; a module's commands stand together.
COMMANDS = (
    Command("init", "vault", N_("create a new encrypted vault")),
    Command("passphrase", "vault", N_("manage the vault passphrase")),
    Command("unlock", "vault", N_("check that the passphrase or recovery code opens the vault")),
    Command(
        "older-copy",
        "vault",
        N_("say whether the vault file is older than the one last locked here"),
    ),
    Command("person", "people", N_("people the guide advises")),
    Command("contact", "notes", N_("counselling contacts")),
    Command("note", "notes", N_("case and office notes")),
    Command("followup", "notes", N_("follow-ups (reminders with a due date)")),
    Command("activity", "activities", N_("activities and events")),
    Command("volunteer", "volunteers", N_("volunteers")),
    Command("deployment", "volunteers", N_("hours volunteers gave")),
    Command("team", "team", N_("team members (Integrationsguides)")),
    Command("timesheet", "team", N_("time sheets: a team member's hours on KISI a month")),
    Command("expense", "money", N_("expenses")),
    Command("trip", "trips", N_("business trips: mileage and Tagegeld")),
    Command("budget", "budget", N_("budget plan, spending and warnings")),
    Command("partner", "network", N_("partner organisations")),
    Command("municipality", "network", N_("the municipality profile")),
    Command("search", "search", N_("search names, notes and other text")),
    Command("codes", "search", N_("list the codes a field accepts")),
    Command("handout", "handouts", N_("multilingual information handouts")),
    Command("report", "reports", N_("the report for a period: AMIF indicators and more")),
    Command("needs", "needs", N_("needs analysis (Bedarfsanalyse)")),
    Command("publication", "publications", N_("guides and leaflets the project produced")),
    Command("keys", "keys", N_("this device's keys for the ministry")),
    Command("provision", "bundles", N_("install the ministry's signed provisioning file")),
    Command("export", "bundles", N_("write the next signed, encrypted bundle for the ministry")),
    Command("bundles", "bundles", N_("the ledger of bundles sent to the ministry")),
    Command("receipts", "bundles", N_("receipts from the ministry")),
    Command("content", "content", N_("handout texts sent by the ministry (content packs)")),
    Command("ministry", "ministry", N_("the ministry's side: keys, registry, intake, figures")),
    Command("upload", "upload", N_("send exported bundles to the ministry over the internet")),
    Command("audit", "audit", N_("the tamper-evident audit log")),
    Command(
        "backup",
        "backup",
        N_(
            "write a backup of the vault into a folder (a USB stick); old ones there go. "
            "Needs no passphrase"
        ),
    ),
    Command(
        "restore",
        "backup",
        N_("make the vault (--vault) anew from a backup, with later erasures replayed"),
    ),
    Command("demo", "demo", N_("fill a new or empty vault with demo data (creates it if missing)")),
)

_BY_NAME = {command.name: command for command in COMMANDS}


def command_help(name: str) -> str:
    """The one-line help of the command ``name``, in the UI language."""
    return _(_BY_NAME[name].help)


def module_of(name: str) -> str | None:
    """The module that builds the parser of command ``name``; None for no such command."""
    command = _BY_NAME.get(name)
    return None if command is None else command.module
