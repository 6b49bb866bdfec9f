"""The placeholders of ``kisi --help`` (``--vault PFAD``, ``--date JJJJ-MM-TT``) in the
user's language.

argparse names a value by its ``metavar`` or, without one, by the option's name in capitals
(``--person PERSON``), both English: the German help read ``kisi person add --name NAME
--birth-date YYYY-MM-DD --status STATUS`` among German sentences, and "diese Argumente
fehlen: id". :func:`speak_placeholders` looks every placeholder up here once the parsers are
built, so that a command module only names the English word (or nothing); a word missing
from the table is caught by ``tests/unit/cli/test_placeholders.py``.
"""

from __future__ import annotations

import argparse

from kisi_desktop.core.i18n import N_, _

PLACEHOLDERS = {
    "ADDRESS": N_("ADDRESS"),
    "AGS": N_("AGS"),
    "ALLOCATION": N_("ALLOCATION"),
    "ALLOWANCE": N_("ALLOWANCE"),
    "AMOUNT": N_("AMOUNT"),
    "BACKUP": N_("BACKUP"),
    "BASE": N_("BASE"),
    "BUNDLE_ID": N_("BUNDLE_ID"),
    "BY": N_("BY"),
    "CATEGORY": N_("CATEGORY"),
    "CERT": N_("CERT"),
    "CODE": N_("CODE"),
    "CONTACT_PERSON": N_("CONTACT_PERSON"),
    "CONTRACT": N_("CONTRACT"),
    "DATE": N_("DATE"),
    "DESCRIPTION": N_("DESCRIPTION"),
    "DESTINATION": N_("DESTINATION"),
    "DEVICE": N_("DEVICE"),
    "DIR": N_("DIR"),
    "DISTRIBUTION": N_("DISTRIBUTION"),
    "DISTRICT": N_("DISTRICT"),
    "DOC_VERSION": N_("DOC_VERSION"),
    "ELIGIBILITY": N_("ELIGIBILITY"),
    "EMAIL": N_("EMAIL"),
    "EPOCH": N_("EPOCH"),
    "EUR": N_("EUR"),
    "EXPENSES": N_("EXPENSES"),
    "FAMILY_MEMBERS": N_("FAMILY_MEMBERS"),
    "FILE": N_("FILE"),
    "FINGERPRINT": N_("FINGERPRINT"),
    "FOLDER": N_("FOLDER"),
    "FTE": N_("FTE"),
    "GENDER": N_("GENDER"),
    "GROUP": N_("GROUP"),
    "HEX": N_("HEX"),
    "HOST": N_("HOST"),
    "HOURS": N_("HOURS"),
    "ID": N_("ID"),
    "INTERPRETER": N_("INTERPRETER"),
    "ISO": N_("ISO"),
    "KEY": N_("KEY"),
    "KEYID": N_("KEYID"),
    "KIND": N_("KIND"),
    "KM": N_("KM"),
    "LANG": N_("LANG"),
    "LIMIT": N_("LIMIT"),
    "LIST": N_("LIST"),
    "MEMBER": N_("MEMBER"),
    "MINUTES": N_("MINUTES"),
    "MM/YYYY": N_("MM/YYYY"),
    "MODE": N_("MODE"),
    "N": N_("N"),
    "NAME": N_("NAME"),
    "NEED": N_("NEED"),
    "NOTE": N_("NOTE"),
    "ORIGIN": N_("ORIGIN"),
    "OUT": N_("OUT"),
    "PACK_ID": N_("PACK_ID"),
    "PATH": N_("PATH"),
    "PAYEE": N_("PAYEE"),
    "PEOPLE": N_("PEOPLE"),
    "PERCENT": N_("PERCENT"),
    "PERIOD": N_("PERIOD"),
    "PERSON": N_("PERSON"),
    "PHONE": N_("PHONE"),
    "POPULATION": N_("POPULATION"),
    "PORT": N_("PORT"),
    "PUBKEY": N_("PUBKEY"),
    "PURPOSE": N_("PURPOSE"),
    "QUERY": N_("QUERY"),
    "RECEIPT": N_("RECEIPT"),
    "REGIME": N_("REGIME"),
    "ROLE": N_("ROLE"),
    "SEED": N_("SEED"),
    "SEQ": N_("SEQ"),
    "STATUS": N_("STATUS"),
    "TARGET": N_("TARGET"),
    "TEXT": N_("TEXT"),
    "TITLE": N_("TITLE"),
    "TOPIC": N_("TOPIC"),
    "TYPE": N_("TYPE"),
    "URGENCY": N_("URGENCY"),
    "URL": N_("URL"),
    "V": N_("V"),
    "VEHICLE": N_("VEHICLE"),
    "VERSION": N_("VERSION"),
    "VOLUNTEER": N_("VOLUNTEER"),
    "WEBSITE": N_("WEBSITE"),
    "WHY": N_("WHY"),
    "WORKERS": N_("WORKERS"),
    "YEAR": N_("YEAR"),
    "YYYY": N_("YYYY"),
    "YYYY-MM-DD": N_("YYYY-MM-DD"),
}


def placeholder(action: argparse.Action) -> str | tuple[str, ...] | None:
    """The English word argparse shows for ``action``'s value (``None``: it shows none,
    or its choices). A positional's name is written in capitals, as the options' are."""
    if action.nargs == 0 or (action.choices is not None and action.metavar is None):
        return None
    if action.metavar is not None:
        return action.metavar
    return action.dest.upper()


def speak_placeholders(parser: argparse.ArgumentParser) -> None:
    """Put every placeholder of ``parser`` and its sub-commands in the UI language."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                speak_placeholders(command)
            continue
        word = placeholder(action)
        if isinstance(word, str) and word in PLACEHOLDERS:
            action.metavar = _(PLACEHOLDERS[word])
