"""A closed vault holds no key (SECURITY.md 6.1.4: "on lock ... drop key objects").

The lock-hygiene tests (tests/unit/core/test_lock_hygiene.py) show that nothing keeps the
closed vault itself alive. This is the second line: should anything still hold the closed
:class:`Vault` (a page, a worker, a traceback), it must no longer lead to the master key,
the data keys or the audit chain's keys, from which every record and entry can be opened
or forged.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from kisi_desktop.core.store.sealed_store import Vault
from kisi_desktop.core.vault.seal import SealingKey

_DEPTH = 8


def _reachable(root: object) -> tuple[set[bytes], list[SealingKey]]:
    """The bytes values and sealing keys ``root`` refers to, directly or through others."""
    seen: set[int] = set()
    found: set[bytes] = set()
    sealing: list[SealingKey] = []
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        value, depth = stack.pop()
        if id(value) in seen or depth > _DEPTH:
            continue
        seen.add(id(value))
        if isinstance(value, bytes | bytearray):
            found.add(bytes(value))
            continue
        if isinstance(value, SealingKey):
            sealing.append(value)
        if isinstance(value, type):
            continue  # classes and their modules are not the vault's state
        stack.extend((inner, depth + 1) for inner in gc.get_referents(value))
    return found, sealing


def _secrets(vault: Vault) -> set[bytes]:
    """The vault's master key and its audit chain's keys, while it is open."""
    keys = {vault._vmk_or_fail()}
    for epoch in vault._audit.keys:
        keys.add(epoch.material())
        keys.add(epoch.mac_key)
    return keys


def test_a_closed_vault_leads_to_no_key(make_vault: Callable[..., tuple[Vault, str]]) -> None:
    vault, _code = make_vault()
    secrets = _secrets(vault)
    before, sealing = _reachable(vault)
    # Negative control: the walk finds the keys of the open vault.
    assert secrets & before and sealing
    vault.close()
    after, sealing = _reachable(vault)
    assert not secrets & after
    assert not any(secret in value for value in after for secret in secrets)
    assert sealing == []
