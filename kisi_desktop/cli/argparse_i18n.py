"""argparse's own words (``usage:``, ``options``, its error messages) in the user's language.

argparse looks its texts up through the module-level ``_`` and ``ngettext`` it imported
from :mod:`gettext`, in the domain "argparse", which no German catalog on a guide's
laptop provides: the German help said "usage:" and "show this help message and exit", and
a mistyped option was refused in English. :func:`speak_argparse` points those two names at
the app's own catalogs, where the texts below are translated (Python 3.11's wording; a text
argparse changes in a later Python simply stays English until it is added here).
"""

from __future__ import annotations

import argparse

from kisi_desktop.core.i18n import N_, _, ngettext

TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plural_texts() -> None:
    """Never called: shows the extractor argparse's one text with a plural."""
    ngettext("expected %s argument", "expected %s arguments", 2)


def speak_argparse() -> None:
    """Have argparse translate its texts with the app's catalogs (the UI language set)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
