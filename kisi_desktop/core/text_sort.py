"""How names and labels sort in lists, whatever their script."""

from __future__ import annotations

import unicodedata


def sort_text(text: str) -> str:
    """``text`` as it sorts in a list: casefolded, without accents ("Émile" next to "Emil")."""
    if text.isascii():  # nothing to decompose: a third of the People list's first fill
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
