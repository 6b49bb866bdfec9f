"""F2: Hypothesis mutations of real bundles, receipts and provisioning files.

SECURITY.md's test plan asks for at least 10,000 mutation cases per input type in every CI
run, with no traceback. Each input type starts from two real files made by the code under
test and applies one to three edits - byte flips, insertions, deletions, splices with the
other real file, truncations, duplicated chunks (``tests/support/hostile.py``). The reader
must then either refuse with a reason code from ``reasons.CODES`` or return exactly what
one of the two real files holds: an edit that leaves the signed content alone (there is
hardly any room for one: the ZIP readers require KISI's own layout) may not change what is
believed.

Runs are derandomized and use no example database, so CI sees the same 10,000 cases every
time; the figures (cases per second, outcomes) are printed (``pytest -s``).

Bundles are tried twice: the encrypted file itself mutated, and the decrypted ZIP mutated
and then encrypted to the ministry again - what someone who knows the ministry's public
recipient can send, so the ZIP, signature and manifest checks behind the age layer are
what is fuzzed. Beyond the required types, 2,000 cases mutate the manifest or a data file
and have the town's real key sign the result, so the strict JSON reader, the manifest
schema and the data-file checks see the mutations instead of the signature check. The
content-pack reader has its own 10,000 cases in test_content_packs.py.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles import age, minisign
from kisi_desktop.bundles.bundle_reader import OpenedBundle, open_bundle
from kisi_desktop.bundles.export import export_bundle
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.manifest import MANIFEST, SIGNATURE, sha256_hex
from kisi_desktop.bundles.provisioning import Provisioning, read_provisioning
from kisi_desktop.bundles.reasons import CODES, UNKNOWN_MUNICIPALITY, Rejected
from kisi_desktop.bundles.receipts import Receipt, read_receipt, write_receipt
from kisi_desktop.bundles.safe_zip import read_zip

from tests.support.hostile import Mutation, Town, mutate, mutations
from tests.support.sync import MinistryKeys, demo_workspace

CASES = 10_000
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@dataclass
class Bundles:
    """Two real bundles of one vault (seq 1 and 2), what they hold, and who may open them."""

    ministry: MinistryKeys
    files: tuple[bytes, bytes]
    plaintexts: tuple[bytes, bytes]
    key: minisign.PublicKey
    ags: str
    town: Town
    opened: tuple[OpenedBundle, ...] = ()

    def key_for(self, ags: str) -> minisign.PublicKey:
        if ags != self.ags:
            raise Rejected(UNKNOWN_MUNICIPALITY, "unknown")
        return self.key

    def open(self, data: bytes) -> OpenedBundle:
        return open_bundle(
            data,
            identity=str(self.ministry.identity),
            own_recipient=self.ministry.recipient,
            key_for=self.key_for,
        )


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Bundles:
    root = tmp_path_factory.mktemp("fuzz")
    ministry = MinistryKeys()
    ws = demo_workspace(root / "vault.kisi", 12, seed=3)
    ministry.install(ws)
    out = root / "out"
    out.mkdir()
    first = export_bundle(ws, out, period="PY1").path.read_bytes()
    second = export_bundle(ws, out, since_last=True).path.read_bytes()
    me = signer(ws)
    ws.lock()
    plaintexts = (age.decrypt(first, ministry.identity), age.decrypt(second, ministry.identity))
    members = read_zip(plaintexts[1], allowed=lambda n: True, what="bundle")
    town = Town(me.private, me.key_id, members, (ministry.recipient,))
    ags = town.manifest.municipality_ags
    made = Bundles(ministry, (first, second), plaintexts, me.public, ags, town)
    made.opened = (made.open(first), made.open(second))
    assert made.opened[0].manifest.seq == 1 and made.opened[1].manifest.seq == 2
    return made


def _receipt(seq: int, status: str, reason: str | None) -> Receipt:
    return Receipt(
        manifest_sha256=f"{seq:02x}" * 32,
        ags="06534011",
        device_id="0123456789abcdef",
        epoch=1,
        seq=seq,
        status=status,
        reason_code=reason,
        imported_at="2026-11-26T08:00:00Z",
        intake_seq=seq + 6,
        intake_chain_head="ab" * 32,
        records=0 if reason else 121,
        message="" if status == "imported" else "The age file was changed or cut short.",
    )


def fuzz(
    name: str,
    originals: Sequence[bytes],
    check: Callable[[bytes], Any],
    accepted: Sequence[Any] | Callable[[Any, bytes], bool],
    cases: int = CASES,
) -> None:
    """Run CASES mutations of ``originals`` through ``check`` and print the figures.

    ``check`` returns what the reader made of the bytes or raises Rejected; any other
    exception fails the test (Hypothesis then shrinks it to the smallest edit list).
    """
    outcomes: Counter[str] = Counter()

    @settings(FUZZ, max_examples=cases)
    @given(edits=mutations(), which=st.integers(0, 1))
    def case(edits: list[Mutation], which: int) -> None:
        data = mutate(originals[which], originals[1 - which], edits)
        try:
            result = check(data)
        except Rejected as error:
            assert error.code in CODES
            outcomes[error.code] += 1
        else:
            # Accepted: then it must be exactly one of the real files' contents.
            assert accepted(result, data) if callable(accepted) else result in accepted, edits
            outcomes["accepted (checked)"] += 1

    started = time.perf_counter()
    case()
    elapsed = time.perf_counter() - started
    total = sum(outcomes.values())
    print(
        f"\nF2 {name}: {total} cases in {elapsed:.1f} s ({total / elapsed:,.0f} cases/s); "
        f"{dict(outcomes.most_common())}"
    )
    assert total >= cases


def test_mutated_bundle_files(bundles: Bundles) -> None:
    """The encrypted .kisi file as it arrives on a USB stick, mutated."""

    def check(data: bytes) -> tuple[str, dict[str, list[Any]]]:
        opened = bundles.open(data)
        return opened.manifest_sha256, opened.files

    fuzz(
        "bundle file (encrypted)",
        bundles.files,
        check,
        [(o.manifest_sha256, o.files) for o in bundles.opened],
    )


def test_mutated_bundle_zips_encrypted_again(bundles: Bundles) -> None:
    """The decrypted ZIP mutated and encrypted to the ministry again by an attacker."""
    recipient = [bundles.ministry.identity.recipient()]

    def check(plaintext: bytes) -> tuple[str, dict[str, list[Any]]]:
        opened = bundles.open(age.encrypt(plaintext, recipient))
        return opened.manifest_sha256, opened.files

    fuzz(
        "bundle ZIP (re-encrypted)",
        bundles.plaintexts,
        check,
        [(o.manifest_sha256, o.files) for o in bundles.opened],
    )


def test_mutated_manifests_and_data_files_signed_by_the_town(bundles: Bundles) -> None:
    """Beyond the 10,000 per type: the manifest or a data file mutated and then *signed* by
    the town's real key (a broken or malicious app), so that what the strict JSON reader,
    the manifest schema and the data-file checks make of the bytes is fuzzed, not the
    signature. Accepted only if what the reader believes is exactly what was signed."""
    town = bundles.town
    names = sorted(town.members)  # the manifest and the data files, by name
    names.remove(SIGNATURE)
    cases = 2_000

    def check(mutated: bytes) -> OpenedBundle:
        # The first byte picks the member: the mutation decides which file it hits.
        name = names[mutated[0] % len(names)] if mutated else MANIFEST
        body = mutated[1:]
        if name == MANIFEST:
            members = town.signed_members(body)
        else:
            data = {n: b for n, b in town.members.items() if n not in (MANIFEST, SIGNATURE)}
            data[name] = body
            members = town.with_data(data)
        return bundles.open(town.encrypt(members))

    def faithful(opened: OpenedBundle, mutated: bytes) -> bool:
        # What was opened is what the town signed, spelled canonically, nothing else.
        return (
            opened.manifest_sha256 == sha256_hex(opened.manifest_bytes)
            and opened.manifest.encode() == opened.manifest_bytes
            and {f.name for f in opened.manifest.files} == set(opened.files)
        )

    seeds = [bytes([names.index(n)]) + town.members[n] for n in (MANIFEST, names[-1])]
    fuzz("signed manifest/data file (re-signed)", seeds, check, faithful, cases=cases)


def test_mutated_receipts() -> None:
    ministry = MinistryKeys()
    receipts = (_receipt(1, "imported", None), _receipt(2, "rejected", "tampered"))
    files = [write_receipt(r, ministry.receipt.private, ministry.receipt.key_id) for r in receipts]
    keys = [ministry.receipt.public]
    assert [read_receipt(f, keys) for f in files] == list(receipts)
    fuzz("receipt", files, lambda data: read_receipt(data, keys), receipts)


def test_mutated_provisioning_files() -> None:
    ministry = MinistryKeys()
    files = [
        ministry.provisioning_file(),
        ministry.provisioning_file(
            version=2,
            participation_rows=True,
            expires=date(2029, 6, 30),
            intake_url="https://intake.hmaijs.example/kisi",
            spki_pins=("cd" * 32,),
        ),
    ]
    root = ministry.root.line

    def check(data: bytes) -> Provisioning:
        return read_provisioning(data, pinned_root=root)

    docs = [check(f) for f in files]
    assert [d.version for d in docs] == [1, 2]
    fuzz("provisioning file", files, check, docs)


def test_the_fuzzer_makes_every_kind_of_edit() -> None:
    """The edits do what their names say (a fuzzer that silently did nothing finds nothing)."""
    data, other = b"0123456789", b"abcdefghij"

    def edit(kind: str, at: int, length: int = 2, value: int = 1, other_at: int = 0) -> bytes:
        return Mutation(kind, at, length, value, other_at).apply(data, other)

    assert edit("flip", 3) == b"0122456789"
    assert edit("insert", 3, 2, 0x41) == b"012AA3456789"
    assert edit("delete", 3) == b"01256789"
    assert edit("splice", 3, other_at=7) == b"012hij"
    assert edit("truncate", 3) == b"012"
    assert edit("duplicate", 3) == b"012343456789"
    assert edit("truncate", 10 + 11 * 5) == data[: (10 + 11 * 5) % 11]
