"""The unwrapped keys of an open vault, with person keys unwrapped when first needed.

A vault of 10,000 people holds 10,000 wrapped person keys; unwrapping them all costs
0.1 s at every unlock, although the records they seal come from the snapshot and the
first screen touches none of them. Keys are unwrapped on first use instead, and
:meth:`KeyRing.verify` unwraps the rest (the unlock's row check calls it), so a key
altered in the file is still found at unlock.
"""

from __future__ import annotations

from collections.abc import Callable

from kisi_desktop.core.errors import SealBroken
from kisi_desktop.core.vault.seal import SealingKey

Unwrap = Callable[[bytes, str], bytes]
"""(wrapped key, key_ref) -> raw key bytes; raises SealBroken when it does not open."""


class KeyRing:
    """key_ref -> SealingKey; person keys stay wrapped until :meth:`get` asks for them.

    Safe to :meth:`get` and :meth:`verify` from two threads at once: the worst case is
    that both unwrap the same key, and the dictionary assignments are atomic.
    """

    def __init__(self, unwrap: Unwrap) -> None:
        self._unwrap = unwrap
        self._open: dict[str, SealingKey] = {}
        self._wrapped: dict[str, bytes] = {}
        self._proven: set[str] = set()

    def add(self, key: SealingKey) -> None:
        """An unwrapped (or new) key."""
        self._open[key.key_ref] = key

    def add_wrapped(self, key_ref: str, wrapped: bytes) -> None:
        """A key to unwrap when it is first used (and by :meth:`verify` in any case: a
        wrapped key whose ref another key already has must still prove itself)."""
        self._wrapped[key_ref] = wrapped

    def refs(self) -> frozenset[str]:
        """Every key ref the ring knows, wrapped or not (for fast membership in loops)."""
        return frozenset(self._open) | frozenset(self._wrapped)

    def get(self, key_ref: str) -> SealingKey | None:
        """The key, unwrapped now if needed; None if the vault has no such key.

        Raises SealBroken when the wrapped key was altered.
        """
        key = self._open.get(key_ref)
        if key is not None:
            return key
        wrapped = self._wrapped.get(key_ref)
        if wrapped is None:
            return None
        key = SealingKey(self._unwrap(wrapped, key_ref), key_ref)
        self._open[key_ref] = key
        self._proven.add(key_ref)
        return key

    def __getitem__(self, key_ref: str) -> SealingKey:
        key = self.get(key_ref)
        if key is None:
            raise KeyError(key_ref)
        return key

    def pop(self, key_ref: str) -> None:
        """Forget a key (its person was erased)."""
        self._open.pop(key_ref, None)
        self._wrapped.pop(key_ref, None)
        self._proven.discard(key_ref)

    def verify(self) -> list[str]:
        """Unwrap every wrapped key not proven yet; the refs of those that do not open."""
        broken = []
        for key_ref, wrapped in list(self._wrapped.items()):
            if key_ref in self._proven:
                continue
            try:
                raw = self._unwrap(wrapped, key_ref)
            except SealBroken:
                broken.append(key_ref)
                continue
            self._open.setdefault(key_ref, SealingKey(raw, key_ref))
            self._proven.add(key_ref)
        return broken

    def clear(self) -> None:
        """Drop every key (lock)."""
        self._open.clear()
        self._wrapped.clear()
        self._proven.clear()
