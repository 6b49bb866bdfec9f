"""What the window and ``kisi demo`` call the demo vault: one set of catalog strings, so
the guide who tried the demo on the command line finds the same words on the unlock
screen (the command said "Demo-Einträge" where the window said "Demo-Tresor mit
erfundenen Personen")."""

from __future__ import annotations

from kisi_desktop.core.i18n import N_

DEMO_VAULT = N_("Demo vault with made-up people")
MAKING_DEMO_VAULT = N_("Creating the demo vault with made-up people…")
