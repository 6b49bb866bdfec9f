"""Access keys (Alt + an underlined letter) for the labels of a form, chosen per form.

The person, contact and municipality forms could be reached only by Tab: twenty fields
down to "Sprachen" (QA pass). Every label now gets a letter, and Alt with it jumps to the
label's field (its buddy).

The letters are chosen here, when a form is built, not written into the catalogs: a field's
label is one message used by many forms (and by the command line and the error messages,
where an "&" has no place), and a letter unique in one form clashes in the next. Chosen
per form, in the words the form shows, they are unique in every form and every language:
a word's first letter where one is free, else another of its letters, else none (the field
is still reached by Tab). The letters a form's buttons use are passed in as taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QKeySequence


def access_key(text: str) -> str:
    """The letter ``text`` underlines ("&Name" -> "n"), case-folded; "" if none."""
    key = QKeySequence.mnemonic(text)
    return key.toString().rpartition("+")[2].casefold() if not key.isEmpty() else ""


def taken_keys(texts: Iterable[str]) -> set[str]:
    """The letters that ``texts`` (button texts, say) underline already."""
    return {key for text in texts if (key := access_key(text))}


def with_access_keys(texts: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """``texts`` each with an "&" before a letter of its own, no two alike nor in
    ``taken`` (see the module docstring); an "&" of a text itself is doubled.

    The letters are matched, not handed out in turn: a long form (the person's, twenty
    fields) ran out of letters for "Languages" when each label took its first free one,
    though another label could have done with another letter. Each text takes the first
    free one of its words' first letters, then of its other letters; with none free, it
    takes a letter from an earlier text that can move to another (augmenting paths, as in
    a bipartite matching).
    """
    blocked = {key.casefold() for key in taken}
    candidates = [_candidates(text, blocked) for text in texts]
    owner: dict[str, int] = {}

    def place(index: int, seen: set[str]) -> bool:
        free = next((letter for letter, _p in candidates[index] if letter not in owner), None)
        if free is not None:  # (a free letter first: taking one moves another label's)
            owner[free] = index
            return True
        for letter, _position in candidates[index]:
            if letter in seen:
                continue
            seen.add(letter)
            if place(owner[letter], seen):
                owner[letter] = index
                return True
        return False

    for index in range(len(texts)):
        place(index, set())
    chosen = {index: letter for letter, index in owner.items()}
    keyed = []
    for index, text in enumerate(texts):
        position = next((p for letter, p in candidates[index] if letter == chosen.get(index)), -1)
        if position < 0:
            keyed.append(_escaped(text))
        else:
            keyed.append(_escaped(text[:position]) + "&" + _escaped(text[position:]))
    return keyed


def _candidates(text: str, blocked: set[str]) -> list[tuple[str, int]]:
    """(letter, position) ``text`` could underline, words' first letters first and
    umlauts last, each letter once, none of ``blocked``."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    starts = [i for i in letters if i == 0 or not text[i - 1].isalpha()]
    found: dict[str, int] = {}
    ordered = starts + [i for i in letters if i not in starts]
    # Letters every keyboard has come before "ö" or "ß".
    for i in sorted(ordered, key=lambda i: not text[i].isascii()):
        letter = text[i].casefold()
        if letter not in blocked and letter not in found:
            found[letter] = i
    return list(found.items())


def _escaped(text: str) -> str:
    return text.replace("&", "&&")
