"""The hash-chained audit log: one sealed entry per user action, each MAC'd onto the last.

``chain_mac_i = HMAC(K_audit, chain_mac_{i-1} || seq_i || SHA-256(sealed_entry_i))`` and the
vault's metadata row holds the head (SECURITY.md 6.1.6). An entry lists every record it
changed as ``[kind, id, version, sha256(sealed blob) or None for a deletion]`` — ids and
hashes only, never content, so the audit log holds no personal data in any form.

The chain's keys come from the master key, until the vault's keys are renewed
(``Vault.renew_keys``): from then on, entries after the renewal are sealed and MAC'd with
new random keys, and the keys of the entries before are kept, wrapped under the new master
key (table ``audit_key``). Whoever learnt the old master key can no longer extend or
rewrite the chain past the renewal: the first new entry's MAC binds everything before it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from kisi_desktop.core.errors import SealBroken
from kisi_desktop.core.i18n import _
from kisi_desktop.core.vault.encoding import length_prefixed
from kisi_desktop.core.vault.seal import SealingKey

Change = tuple[str, str, int, str | None]  # kind, id (hex), version, blob sha256 (hex) or None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What one user action did, as recorded in the chain."""

    seq: int
    ts: str
    actor: str
    action: str
    changes: Sequence[Change]


@dataclass(slots=True)
class AuditReport:
    """Outcome of checking the chain and the live rows against it."""

    entries: int = 0
    problems: list[str] = field(default_factory=list)
    # Of the problems, how many are records gone from the file, and how many are records
    # that differ from the chain or do not open: the window says so in plain words,
    # without ids (the rest are breaks in the audit log itself or in the database file).
    missing: int = 0
    changed: int = 0
    # Ids the working set must not show: rows that failed their check, and rows deleted
    # after the snapshot the working set was restored from.
    dropped_ids: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class Findings:
    """What the unlock's check found, kept by the workspace after the report is gone."""

    problems: tuple[str, ...] = ()
    missing: int = 0
    """Records the audit log knows that are gone from the vault file."""
    changed: int = 0
    """Records in the file that differ from the audit log (altered, or an older copy put
    back) or do not open."""

    @classmethod
    def of(cls, report: AuditReport) -> Findings:
        """The findings of ``report``."""
        return cls(tuple(report.problems), report.missing, report.changed)

    @property
    def other(self) -> int:
        """Problems that are not one record's: breaks in the audit log or the database file."""
        return len(self.problems) - self.missing - self.changed


class AuditKeys:
    """The keys of the entries from ``from_seq`` on (until the next renewal)."""

    __slots__ = ("_seal_raw", "from_seq", "mac_key", "seal")

    def __init__(self, from_seq: int, mac_key: bytes, seal_raw: bytes) -> None:
        self.from_seq = from_seq
        self.mac_key = mac_key
        self._seal_raw = seal_raw
        self.seal = SealingKey(seal_raw, "audit")

    def material(self) -> bytes:
        """Both keys as one secret, to be wrapped under the master key."""
        return self.mac_key + self._seal_raw

    @classmethod
    def of_material(cls, from_seq: int, material: bytes) -> AuditKeys:
        """The keys :meth:`material` gave (64 bytes); SealBroken for anything else."""
        if len(material) != 64:
            raise SealBroken()
        return cls(from_seq, material[:32], material[32:])


class AuditChain:
    """Appends to and checks the chain; keys come from the unlocked vault.

    ``mac_key`` and ``seal_raw`` are the keys of the first entries (derived from the
    master key the vault was made with); ``later`` the keys of each renewal after them,
    in order (see the module docstring).
    """

    def __init__(
        self,
        mac_key: bytes,
        seal_raw: bytes,
        vault_id: bytes,
        *,
        later: Sequence[AuditKeys] = (),
    ) -> None:
        self.keys: tuple[AuditKeys, ...] = (AuditKeys(1, mac_key, seal_raw), *later)
        if any(a.from_seq >= b.from_seq for a, b in itertools.pairwise(self.keys)):
            raise ValueError("audit key epochs out of order")
        self._mac_key = mac_key
        self._vault_id = vault_id

    def forget(self) -> None:
        """Drop the keys (the vault is closing): whoever still holds this chain, or the
        closed vault, can no longer forge an entry or open one (SECURITY.md 6.1.4)."""
        self.keys = ()
        self._mac_key = b""

    def renewed(self, from_seq: int) -> AuditChain:
        """The same chain with new random keys for the entries from ``from_seq`` on."""
        fresh = AuditKeys(from_seq, secrets.token_bytes(32), secrets.token_bytes(32))
        first = self.keys[0]
        return AuditChain(
            first.mac_key, first.material()[32:], self._vault_id, later=(*self.keys[1:], fresh)
        )

    def _keys_for(self, seq: int) -> AuditKeys:
        for keys in reversed(self.keys):
            if seq >= keys.from_seq:
                return keys
        return self.keys[0]

    def genesis(self) -> bytes:
        """The chain value before the first entry, bound to this vault."""
        return hmac.new(self._mac_key, b"genesis" + self._vault_id, hashlib.sha256).digest()

    def _aad(self, seq: int) -> bytes:
        return length_prefixed("KISI-AUDIT", self._vault_id, seq)

    def next_mac(self, prev: bytes, seq: int, sealed: bytes) -> bytes:
        """Chain value after appending ``sealed`` as entry ``seq``."""
        digest = hashlib.sha256(sealed).digest()
        return hmac.new(
            self._keys_for(seq).mac_key, prev + struct.pack(">Q", seq) + digest, hashlib.sha256
        ).digest()

    def append(
        self,
        conn: sqlite3.Connection,
        *,
        ts: str,
        actor: str,
        action: str,
        changes: Iterable[Change],
    ) -> tuple[int, bytes]:
        """Add one entry inside the caller's transaction and move the head forward."""
        seq, head = conn.execute("SELECT audit_seq, audit_head FROM vault_meta").fetchone()
        seq += 1
        body = json.dumps(
            {"ts": ts, "actor": actor, "action": action, "changes": list(changes)},
            separators=(",", ":"),
        ).encode()
        sealed = self._keys_for(seq).seal.seal(body, self._aad(seq))
        mac = self.next_mac(head, seq, sealed)
        conn.execute(
            "INSERT INTO audit (seq, blob, chain_mac) VALUES (?, ?, ?)", (seq, sealed, mac)
        )
        conn.execute("UPDATE vault_meta SET audit_seq = ?, audit_head = ?", (seq, mac))
        return seq, mac

    def entries(self, conn: sqlite3.Connection, report: AuditReport) -> Iterator[AuditEntry]:
        """Walk the chain from the start, noting every broken link in ``report``."""
        prev = self.genesis()
        expected_seq = 0
        for seq, sealed, mac in conn.execute("SELECT seq, blob, chain_mac FROM audit ORDER BY seq"):
            expected_seq += 1
            if seq != expected_seq:
                report.problems.append(_("audit entry {seq} is missing").format(seq=expected_seq))
                expected_seq = seq
            if not isinstance(sealed, bytes) or not isinstance(mac, bytes):
                # SQLite does not enforce column types: text written where bytes belong.
                report.problems.append(
                    _("audit entry {seq} was altered or reordered").format(seq=seq)
                )
                prev = b""
                continue
            if not hmac.compare_digest(self.next_mac(prev, seq, sealed), mac):
                report.problems.append(
                    _("audit entry {seq} was altered or reordered").format(seq=seq)
                )
            prev = mac
            try:
                data = json.loads(self._keys_for(seq).seal.open(sealed, self._aad(seq)))
            except SealBroken:
                report.problems.append(_("audit entry {seq} does not open").format(seq=seq))
                continue
            report.entries += 1
            yield AuditEntry(
                seq=seq,
                ts=data["ts"],
                actor=data["actor"],
                action=data["action"],
                # Written by this code and authenticated (sealed + MAC'd): no re-checking.
                changes=data["changes"],
            )
        if expected_seq < self.keys[-1].from_seq:
            # The keys were renewed at an entry the chain no longer holds: cut back to
            # before the renewal (what its old keys would let someone do) is no history.
            report.problems.append(_("the audit log ends before the renewal of its keys"))
        meta_seq, meta_head = conn.execute(
            "SELECT audit_seq, audit_head FROM vault_meta"
        ).fetchone()
        if (
            meta_seq != expected_seq
            or not isinstance(meta_head, bytes)
            or not hmac.compare_digest(meta_head, prev)
        ):
            report.problems.append(_("the audit log was cut short or its head does not match"))

    def expected_state(
        self, conn: sqlite3.Connection, report: AuditReport
    ) -> dict[str, tuple[str, int, str | None, int]]:
        """For every record id the chain knows: its latest (kind, version, hash, audit seq).

        Keyed by id alone (ids are random 128-bit values, unique across kinds): one dict
        lookup per row at unlock instead of building a (kind, id) tuple for each.
        """
        state: dict[str, tuple[str, int, str | None, int]] = {}
        for entry in self.entries(conn, report):
            seq = entry.seq
            for kind, rid, version, digest in entry.changes:
                state[rid] = (kind, version, digest, seq)
        return state

    def check_anchor(
        self,
        conn: sqlite3.Connection,
        seq: int,
        mac: bytes,
        named_by: str,
        report: AuditReport,
    ) -> None:
        """Note in ``report`` if the chain no longer holds entry ``seq`` with value ``mac``.

        An anchor is a chain value recorded where the chain's own table cannot take it
        back: a bundle manifest names the head it was made at, and the ministry keeps it.
        The chain only grows, so the entry must still be there, unchanged. If the chain
        ends before it, or the entry has another value, audit entries were removed or the
        log rebuilt after that bundle was made (by whoever holds the keys: without them
        the walk of :meth:`entries` already fails). ``named_by`` says which bundle recorded
        the anchor, for the message.

        The anchor is read from the vault itself (its bundle log), so this does not see a
        rollback of the whole file to a copy from before the export: the bundle log rolls
        back with it. The ministry sees that one, when the next bundle repeats a sequence
        number (``fork``) or names an earlier head (``audit_rollback``).
        """
        row = conn.execute("SELECT chain_mac FROM audit WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            last = int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0])
            if last < seq:
                report.problems.append(
                    _(
                        "the audit log ends at entry {last}, but bundle {bundle} was made at "
                        "entry {seq}: entries were removed after it"
                    ).format(last=last, bundle=named_by, seq=seq)
                )
            else:
                report.problems.append(
                    _("audit entry {seq}, named by bundle {bundle}, is missing").format(
                        seq=seq, bundle=named_by
                    )
                )
        elif not isinstance(row[0], bytes) or not hmac.compare_digest(row[0], mac):
            report.problems.append(
                _(
                    "audit entry {seq} is not the one bundle {bundle} named: the audit log "
                    "was rewritten after it"
                ).format(seq=seq, bundle=named_by)
            )

    def mac_at(self, conn: sqlite3.Connection, seq: int) -> bytes | None:
        """The chain value after entry ``seq`` (binds a snapshot to one exact history)."""
        row = conn.execute("SELECT chain_mac FROM audit WHERE seq = ?", (seq,)).fetchone()
        return bytes(row[0]) if row else None
