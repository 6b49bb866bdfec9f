"""Content packs against TUF's attack list: what a guide would notice if a check were missing.

Each refused pack is checked three ways: the reason code, the texts in use (the installed
pack's version and folder) and the folder beside the vault (nothing new left behind).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import set_ui_language
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import limits, minisign, reasons, strict_json
from kisi_desktop.bundles.content_packs import (
    CLOCK_SKEW,
    FORMAT,
    PACK_JSON,
    PACK_SIG,
    VerifiedPack,
    install_pack,
    installed_pack,
    installed_pack_folder,
    pack_status,
    packs_root,
    read_pack,
    trusted_comment,
    trusted_now,
    untrusted_comment,
)
from kisi_desktop.bundles.reasons import Rejected
from kisi_desktop.bundles.safe_zip import read_zip, write_zip
from kisi_desktop.handouts.catalog import shipped_folder, user_catalog
from kisi_desktop.handouts.profile import HandoutProfile
from kisi_desktop.handouts.render import Request, render
from kisi_desktop.ministry.content_pack import make_content_pack

import kisi_desktop
from tests.support import pdf

REPO = Path(kisi_desktop.__file__).resolve().parents[1]
PASSPHRASE = "correct horse battery staple"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
EXPIRES = date(2027, 6, 30)


@dataclass(frozen=True)
class Key:
    """A content key: what the ministry signs with and what the app trusts."""

    private: Ed25519PrivateKey
    key_id: bytes

    @property
    def public(self) -> minisign.PublicKey:
        return minisign.public_key_of(self.private, self.key_id)


def new_key() -> Key:
    return Key(Ed25519PrivateKey.generate(), minisign.new_key_id())


@pytest.fixture(autouse=True)
def english() -> None:
    set_ui_language("en")


@pytest.fixture(autouse=True)
def no_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog must not pick up a handout folder from the machine running the tests."""
    monkeypatch.setenv("KISI_HANDOUTS", str(tmp_path / "no-user-folder"))


@pytest.fixture
def key() -> Key:
    return new_key()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ws(tmp_path: Path, clock: FixedClock) -> Iterator[Workspace]:
    workspace, _code = Workspace.create(
        tmp_path / "vault.kisi", PASSPHRASE, kdf=TEST_PARAMS, clock=clock
    )
    yield workspace
    workspace.lock()


def texts(tmp_path: Path, greeting: str = "Herzlich willkommen", name: str = "texts") -> Path:
    """A small folder of texts: the shipped welcome topic in German and Arabic, one heading
    changed so that a pack's texts are told apart from the shipped ones."""
    folder = tmp_path / name
    topic = folder / "welcome"
    topic.mkdir(parents=True)
    shipped = shipped_folder() / "welcome"
    shutil.copy(shipped / "topic.toml", topic / "topic.toml")
    shutil.copy(shipped / "ar.md", topic / "ar.md")
    german = (shipped / "de.md").read_text("utf-8")
    (topic / "de.md").write_text(german.replace("## Herzlich willkommen", f"## {greeting}"))
    return folder


def make(
    key: Key,
    folder: Path,
    version: int,
    *,
    expires: date = EXPIRES,
    created: datetime = CREATED,
    pack_id: str = "kisi-handouts",
) -> bytes:
    return make_content_pack(
        key.private,
        key.key_id,
        folder,
        version,
        expires,
        pack_id=pack_id,
        created=created,
    )


def raw_pack(
    key: Key,
    files: dict[str, bytes],
    *,
    listed: dict[str, bytes] | None = None,
    extra: list[tuple[str, bytes]] | None = None,
    pack_json: bytes | None = None,
    comment: str | None = None,
    **fields: Any,
) -> bytes:
    """A pack built by hand, past the maker's checks: what a hostile signer could send.

    ``listed`` are the files pack.json names (default: ``files``); ``extra`` members are
    added to the ZIP without being listed.
    """
    listed = files if listed is None else listed
    doc: dict[str, Any] = {
        "format": FORMAT,
        "pack_id": "kisi-handouts",
        "version": 1,
        "created": "2026-11-20T10:00:00Z",
        "expires": EXPIRES.isoformat(),
        "min_app_version": "0.1.0",
        "languages": sorted({n.rsplit("/", 1)[1][:-3] for n in listed if n.endswith(".md")}),
        "files": {
            n: {"sha256": hashlib.sha256(b).hexdigest(), "length": len(b)}
            for n, b in listed.items()
        },
    }
    doc.update(fields)
    body = strict_json.dumps(doc) if pack_json is None else pack_json
    if comment is None:
        comment = trusted_comment(
            str(doc["pack_id"]), int(doc["version"]), hashlib.sha256(body).hexdigest()
        )
    # A hostile signer holds the key and writes the maker's untrusted comment as well.
    pack_id, version = doc["pack_id"], doc["version"]
    signature = minisign.sign(
        body,
        key.private,
        key.key_id,
        trusted_comment=comment,
        untrusted_comment=untrusted_comment(str(pack_id), version)
        if isinstance(version, int)
        else "-",
    )
    return write_zip(
        [(PACK_JSON, body), (PACK_SIG, signature.encode()), *files.items(), *(extra or [])]
    )


def members(data: bytes) -> dict[str, bytes]:
    return read_zip(data, allowed=lambda _name: True, what="test", max_entries=4096)


def dirs(ws: Workspace) -> list[str]:
    root = packs_root(ws.path)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def refused(ws: Workspace, data: bytes, key: Key, code: str) -> Rejected:
    """Install ``data``; assert it is refused with ``code`` and nothing on disk or in the
    vault changed."""
    before = (installed_pack(ws), dirs(ws))
    with pytest.raises(Rejected) as caught:
        install_pack(ws, data, [key.public])
    assert caught.value.code == code, caught.value
    assert (installed_pack(ws), dirs(ws)) == before
    return caught.value


def german_heading(ws: Workspace) -> str:
    """The first heading of the German welcome text the handouts would print now."""
    catalog = user_catalog(pack=installed_pack_folder(ws))
    return catalog.topics["welcome"].texts["de"].blocks[0].lines[0]


# ---------------------------------------------------------------------------- happy path


def test_an_installed_pack_replaces_the_shipped_texts_and_a_newer_one_replaces_it(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    assert german_heading(ws) == "Herzlich willkommen"  # shipped
    first = install_pack(ws, make(key, texts(tmp_path, "Willkommen, Version 1"), 1), [key.public])
    assert first.changed and first.replaced_version is None
    assert german_heading(ws) == "Willkommen, Version 1"
    assert first.pack.languages == ("ar", "de") and first.pack.installed_on == NOW.date()
    # Other topics still come from the app.
    assert "health" in user_catalog(pack=installed_pack_folder(ws)).topics

    second = make(key, texts(tmp_path, "Willkommen, Version 2", "v2"), 2)
    result = install_pack(ws, second, [key.public])
    assert result.changed and result.replaced_version == 1
    assert german_heading(ws) == "Willkommen, Version 2"
    # The old directory is gone once the new pointer is committed; one pack on disk.
    assert dirs(ws) == [result.pack.directory]
    # The same pack again changes nothing.
    again = install_pack(ws, second, [key.public])
    assert not again.changed and again.pack == result.pack

    status = pack_status(ws)
    assert status is not None
    assert (status.version, status.expires, status.expired, status.warning) == (
        2,
        EXPIRES,
        False,
        None,
    )


def test_the_guides_own_folder_still_wins_over_the_pack(
    ws: Workspace, key: Key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pack(ws, make(key, texts(tmp_path, "Aus dem Paket"), 1), [key.public])
    own = texts(tmp_path, "Eigener Text", "own")
    monkeypatch.setenv("KISI_HANDOUTS", str(own))
    assert german_heading(ws) == "Eigener Text"


def test_a_pack_verifies_with_the_real_minisign_tool(key: Key, tmp_path: Path) -> None:
    parts = members(make(key, texts(tmp_path), 4))
    (tmp_path / "pack.json").write_bytes(parts[PACK_JSON])
    (tmp_path / "pack.json.minisig").write_bytes(parts[PACK_SIG])
    (tmp_path / "content.pub").write_text(key.public.text())
    done = subprocess.run(
        ["minisign", "-V", "-p", str(tmp_path / "content.pub"), "-m", str(tmp_path / "pack.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "kisi-content-pack/1 id=kisi-handouts version=4 sha256=" in done.stdout


def test_an_untrusted_comment_other_than_the_makers_is_tampering(ws: Workspace, key: Key) -> None:
    """minisign signs nothing in the first line; the pack maker always writes the same one,
    so any other is a change on the way (bundles/FORMAT.md, "Unsigned bytes")."""
    parts = members(make(key, texts(Path(ws.path).parent), 1))
    comment, rest = parts[PACK_SIG].split(b"\n", 1)
    assert comment == b"untrusted comment: KISI content pack kisi-handouts version 1"
    for other in (
        "untrusted comment: Hessisches Ministerium für Soziales ✓".encode(),
        b"untrusted comment: KISI content pack kisi-handouts version 2",
        comment + b" ",
    ):
        parts[PACK_SIG] = other + b"\n" + rest
        error = refused(ws, write_zip(list(parts.items())), key, reasons.TAMPERED)
        assert "untrusted comment" in str(error)
    parts[PACK_SIG] = comment + b"\n" + rest
    assert install_pack(ws, write_zip(list(parts.items())), [key.public]).changed


def test_the_maker_gives_the_same_bytes_for_the_same_inputs(key: Key, tmp_path: Path) -> None:
    folder = texts(tmp_path)
    assert make(key, folder, 3) == make(key, folder, 3)


# ---------------------------------------------------------------------------- TUF attacks


def test_rollback_to_an_older_version_is_refused(ws: Workspace, key: Key, tmp_path: Path) -> None:
    old = make(key, texts(tmp_path, "Alt"), 1)
    install_pack(ws, make(key, texts(tmp_path, "Neu", "v2"), 2), [key.public])
    error = refused(ws, old, key, reasons.ROLLBACK)
    assert "older than the installed version 2" in str(error)
    assert german_heading(ws) == "Neu"


def test_the_same_version_with_other_content_is_equivocation(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    install_pack(ws, make(key, texts(tmp_path, "Eins"), 5), [key.public])
    other = make(key, texts(tmp_path, "Anders", "other"), 5)
    refused(ws, other, key, reasons.EQUIVOCATION)
    # Re-zipping the same signed pack.json is not equivocation: the same pack.
    assert german_heading(ws) == "Eins"


def test_a_pack_expired_at_install_is_refused(ws: Workspace, key: Key, tmp_path: Path) -> None:
    stale = make(key, texts(tmp_path), 1, created=datetime(2025, 1, 1, tzinfo=UTC),
                 expires=date(2026, 11, 24))  # fmt: skip
    error = refused(ws, stale, key, reasons.EXPIRED)
    assert "expired on Nov 24, 2026;" in str(error)  # a date as the UI writes it, not ISO
    assert installed_pack(ws) is None and german_heading(ws) == "Herzlich willkommen"
    # Valid through its expiry date.
    fresh = make(key, texts(tmp_path, name="t2"), 1, created=datetime(2025, 1, 1, tzinfo=UTC),
                 expires=NOW.date())  # fmt: skip
    assert install_pack(ws, fresh, [key.public]).changed


def test_turning_the_clock_back_does_not_make_an_expired_pack_installable(
    ws: Workspace, key: Key, tmp_path: Path, clock: FixedClock
) -> None:
    install_pack(ws, make(key, texts(tmp_path), 2), [key.public])  # created 2026-11-20
    clock.advance(days=-300)  # the laptop now says 2026-01-29
    assert trusted_now(ws) == CREATED
    # A pack made then and valid until June 2026 looks fresh by the system clock.
    frozen = make(key, texts(tmp_path, "Alt", "old"), 3,
                  created=datetime(2026, 1, 20, tzinfo=UTC), expires=date(2026, 6, 30))  # fmt: skip
    refused(ws, frozen, key, reasons.EXPIRED)


def test_an_installed_pack_that_expires_stays_in_use_with_a_warning(
    ws: Workspace, key: Key, tmp_path: Path, clock: FixedClock
) -> None:
    install_pack(ws, make(key, texts(tmp_path, "Im Paket"), 1, expires=date(2026, 12, 31)),
                 [key.public])  # fmt: skip
    clock.advance(days=60)  # offline for two months: 2027-01-24
    status = pack_status(ws)
    assert status is not None and status.expired and status.intact
    assert status.warning == "Contents not updated since Nov 20, 2026"
    assert german_heading(ws) == "Im Paket"  # still in use


def test_versions_implausibly_far_ahead_are_refused(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    folder = texts(tmp_path)
    refused(ws, make(key, folder, limits.FAST_FORWARD_LIMIT + 1), key, reasons.FAST_FORWARD)
    install_pack(ws, make(key, folder, 7), [key.public])
    refused(ws, make(key, folder, 8 + limits.FAST_FORWARD_LIMIT), key, reasons.FAST_FORWARD)
    assert install_pack(ws, make(key, folder, 7 + limits.FAST_FORWARD_LIMIT), [key.public]).changed


def test_a_pack_from_the_future_cannot_push_the_time_floor_ahead(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    folder = texts(tmp_path)
    ahead = make(key, folder, 1, created=NOW + CLOCK_SKEW + timedelta(minutes=1),
                 expires=date(2099, 1, 1))  # fmt: skip
    error = refused(ws, ahead, key, reasons.IMPLAUSIBLE)
    assert "check the computer's clock" in str(error)
    assert trusted_now(ws) == NOW


def test_a_pack_from_another_series_is_refused(ws: Workspace, key: Key, tmp_path: Path) -> None:
    folder = texts(tmp_path)
    install_pack(ws, make(key, folder, 1), [key.public])
    refused(ws, make(key, folder, 2, pack_id="other-series"), key, reasons.IMPLAUSIBLE)


def test_a_key_that_is_not_trusted_is_refused(ws: Workspace, key: Key, tmp_path: Path) -> None:
    stranger = new_key()
    data = make(stranger, texts(tmp_path), 1)
    error = refused(ws, data, key, reasons.BAD_SIGNATURE)
    assert stranger.public.key_id_hex() in str(error)
    # The stolen key id with another key behind it is no better.
    impostor = Key(Ed25519PrivateKey.generate(), key.key_id)
    refused(ws, make(impostor, texts(tmp_path, name="t2"), 1), key, reasons.BAD_SIGNATURE)
    with pytest.raises(Rejected) as caught:
        install_pack(ws, data, [])
    assert caught.value.code == reasons.NOT_PROVISIONED


def test_a_foreign_key_says_what_to_do_about_it(ws: Workspace, key: Key, tmp_path: Path) -> None:
    """ "signiert mit Schlüssel 5E32…; kein Inhaltsschlüssel des Ministeriums" left the
    guide with nothing to do."""
    set_ui_language("de")
    stranger = new_key()
    error = refused(ws, make(stranger, texts(tmp_path), 1), key, reasons.BAD_SIGNATURE)
    assert str(error) == (
        f"Das Inhaltspaket ist mit dem Schlüssel {stranger.public.key_id_hex()} signiert, "
        "der in der hier importierten Bereitstellungsdatei nicht als Inhaltsschlüssel des "
        "Ministeriums steht. Bitten Sie das Ministerium, das Paket noch einmal zu senden, "
        "oder prüfen Sie, ob seine aktuelle Bereitstellungsdatei importiert ist."
    )


def test_mix_and_match_a_file_from_another_pack(ws: Workspace, key: Key, tmp_path: Path) -> None:
    mine = members(make(key, texts(tmp_path, "Echt"), 2))
    theirs = members(make(key, texts(tmp_path, "Fremd", "other"), 1))
    name = "handouts/welcome/de.md"
    mixed = write_zip([(n, theirs[n] if n == name else b) for n, b in mine.items()])
    error = refused(ws, mixed, key, reasons.TAMPERED)
    assert name in str(error)
    # Nor the other way round: their signed pack.json with my files.
    swapped = write_zip(
        [(n, theirs[n] if n in (PACK_JSON, PACK_SIG) else b) for n, b in mine.items()]
    )
    refused(ws, swapped, key, reasons.TAMPERED)
    # Or their pack.json with my signature.
    halves = write_zip([(n, theirs[n] if n == PACK_JSON else b) for n, b in mine.items()])
    refused(ws, halves, key, reasons.BAD_SIGNATURE)


def test_a_file_not_listed_in_pack_json_is_refused(ws: Workspace, key: Key) -> None:
    shipped = shipped_folder() / "welcome"
    files = {
        "handouts/welcome/topic.toml": (shipped / "topic.toml").read_bytes(),
        "handouts/welcome/de.md": (shipped / "de.md").read_bytes(),
    }
    smuggled = ("handouts/welcome/en.md", (shipped / "en.md").read_bytes())
    error = refused(ws, raw_pack(key, files, extra=[smuggled]), key, reasons.TAMPERED)
    assert "en.md" in str(error)
    # A listed file that is missing.
    listed = {**files, smuggled[0]: smuggled[1]}
    refused(ws, raw_pack(key, files, listed=listed), key, reasons.TAMPERED)
    # Names a pack cannot hold (a script, a language file, a deeper folder) never get past
    # the ZIP reader, listed or not.
    for name in ("handouts/welcome/run.sh", "handouts/languages/de.toml", "x/de.md"):
        refused(ws, raw_pack(key, files, extra=[(name, b"x")]), key, reasons.MALFORMED)


def test_a_changed_byte_in_any_file_is_refused(ws: Workspace, key: Key, tmp_path: Path) -> None:
    """Each member re-zipped with one byte changed (an attacker rebuilding the ZIP): every
    offset of every file, the signature's first line (minisign's *untrusted* comment,
    which no signature covers) included: the reader requires the maker's."""
    install_pack(ws, make(key, texts(tmp_path, "Vorher"), 1), [key.public])
    parts = members(make(key, texts(tmp_path, "Nachher", "v2"), 2))
    cases = 0
    for name, body in parts.items():
        for offset in range(len(body)):
            changed = bytearray(body)
            changed[offset] ^= 0x01 if name != PACK_SIG else 0x02
            data = write_zip([(n, bytes(changed) if n == name else b) for n, b in parts.items()])
            with pytest.raises(Rejected):
                install_pack(ws, data, [key.public])
            cases += 1
    assert cases > 4000
    # Any byte value, not only a flipped bit: still Rejected, never another exception.
    for name in (PACK_JSON, PACK_SIG):
        body = parts[name]
        for offset in range(len(body)):
            for byte in {0x00, 0x0A, 0x80, 0xFF} - {body[offset]}:
                changed = bytearray(body)
                changed[offset] = byte
                data = write_zip(
                    [(n, bytes(changed) if n == name else b) for n, b in parts.items()]
                )
                with pytest.raises(Rejected):
                    install_pack(ws, data, [key.public])
    assert german_heading(ws) == "Vorher" and len(dirs(ws)) == 1


def test_every_flipped_byte_cut_and_added_byte_of_a_pack_file_is_refused(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    """S1 on the pack file as it arrives: each byte XOR 0x01, each truncation, one byte
    more - 100 % refused with a reason code, and the installed pack stays in use."""
    install_pack(ws, make(key, texts(tmp_path, "Vorher"), 1), [key.public])
    data = make(key, texts(tmp_path, "Nachher", "v2"), 2)
    bad = [data[:offset] for offset in range(len(data))] + [data + b"\x00"]
    for offset in range(len(data)):
        changed = bytearray(data)
        changed[offset] ^= 0x01
        bad.append(bytes(changed))
    for candidate in bad:
        with pytest.raises(Rejected) as caught:
            read_pack(candidate, [key.public])
        assert caught.value.code in reasons.CODES
    with pytest.raises(Rejected):
        install_pack(ws, data[:-1], [key.public])
    assert german_heading(ws) == "Vorher" and len(dirs(ws)) == 1


# The issue asks for 10,000 mutation cases per input type in CI (about 8 s here).
MUTATIONS = 10_000
_MADE: dict[bytes, tuple[bytes, VerifiedPack]] = {}


@settings(
    max_examples=MUTATIONS,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_pack_file_is_refused_or_reads_as_the_signed_pack(
    data: st.DataObject, key: Key, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Flipping bytes of the ZIP itself: either a reason, or (a byte the ZIP format does not
    cover, like a timestamp) exactly the signed pack; never anything else."""
    if key.key_id not in _MADE:
        folder = texts(tmp_path_factory.mktemp("mutation"))
        good = make(key, folder, 1)
        _MADE[key.key_id] = (good, read_pack(good, [key.public]))
    good, signed = _MADE[key.key_id]
    mutated = bytearray(good)
    for _ in range(data.draw(st.integers(1, 3))):
        offset = data.draw(st.integers(0, len(good) - 1))
        mutated[offset] ^= data.draw(st.integers(1, 255))
    try:
        pack = read_pack(bytes(mutated), [key.public])
    except Rejected as error:
        assert error.code in reasons.CODES
    else:
        assert (pack.sha256, dict(pack.files)) == (signed.sha256, dict(signed.files))


def test_a_damaged_pack_file_is_refused_in_plain_words(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    """QA 26b: "contains no valid Deflate data" told the guide nothing; the message says the
    file is no content pack or is damaged, and to copy it again or ask for it again."""
    good = make(key, texts(tmp_path), 1)
    for bad in (good[: len(good) // 2], b"not a zip at all" * 30):
        error = refused(ws, bad, key, reasons.MALFORMED)
        assert str(error).startswith("This file is not a content pack from the ministry")
        assert "Copy it again, or ask the ministry to send the content pack again." in str(error)
        assert error.detail.startswith("content pack: ")
    set_ui_language("de")
    error = refused(ws, b"not a zip at all" * 30, key, reasons.MALFORMED)
    assert str(error).startswith("Diese Datei ist kein Inhaltspaket des Ministeriums")


# ---------------------------------------------------------------------------- text is data


def test_markup_in_a_pack_prints_literally(ws: Workspace, key: Key, tmp_path: Path) -> None:
    folder = texts(tmp_path)
    hostile = (
        'Vorsicht <font size="40" color="red">GROSS</font> und <b>fett</b> '
        'und &amp; und <a href="https://evil.example">Link</a> Ende.'
    )
    de = folder / "welcome" / "de.md"
    de.write_text(de.read_text("utf-8").replace("Schön, dass Sie hier sind.", hostile))
    install_pack(ws, make(key, folder, 1), [key.public])
    catalog = user_catalog(pack=installed_pack_folder(ws))
    out = tmp_path / "welcome.pdf"
    out.write_bytes(render(catalog, Request("welcome", "de"), HandoutProfile(), NOW.date()))
    printed = " ".join(pdf.text(out).split())
    assert '<font size="40" color="red">GROSS</font>' in printed
    assert "<b>fett</b>" in printed and "&amp;" in printed
    assert '<a href="https://evil.example">Link</a>' in printed


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("---\ntitle: T\nreview: source\n---\nText \x07 mit Klingel\n", "U+0007"),
        ("---\ntitle: T\nreview: source\n---\nText \u202e gedreht\n", "U+202E"),
        ("---\ntitle: T\nreview: source\n---\n<script>alert(1)</script>\n", "HTML"),
        ("---\ntitle: T\nreview: source\n---\nHallo {{person.name}}\n", "placeholder"),
        ("---\ntitle: T\nreview: source\n---\n" + "x" * 70_000 + "\n", "KiB"),
    ],
)
def test_texts_that_break_the_handout_format_are_refused(
    ws: Workspace, key: Key, body: str, problem: str
) -> None:
    files = {
        "handouts/welcome/topic.toml": (shipped_folder() / "welcome/topic.toml").read_bytes(),
        "handouts/welcome/de.md": body.encode(),
    }
    error = refused(ws, raw_pack(key, files), key, reasons.MALFORMED)
    assert problem in str(error)


def test_only_languages_the_app_ships_are_accepted(ws: Workspace, key: Key) -> None:
    de = (shipped_folder() / "welcome/de.md").read_bytes()
    toml = (shipped_folder() / "welcome/topic.toml").read_bytes()
    files = {"handouts/welcome/topic.toml": toml, "handouts/welcome/xx.md": de}
    error = refused(ws, raw_pack(key, files), key, reasons.MALFORMED)
    assert "'xx'" in str(error)
    # A text in a language pack.json does not list.
    files = {"handouts/welcome/topic.toml": toml, "handouts/welcome/en.md": de}
    refused(ws, raw_pack(key, files, languages=["de"]), key, reasons.MALFORMED)


def test_topic_files_are_checked_as_the_catalog_reads_them(ws: Workspace, key: Key) -> None:
    de = (shipped_folder() / "welcome/de.md").read_bytes()
    # A new topic without its topic.toml: caught after writing, before the swap.
    error = refused(ws, raw_pack(key, {"handouts/new_topic/de.md": de}), key, reasons.MALFORMED)
    assert "topic.toml" in str(error)
    http = b'order = 1\ntitle_de = "X"\n[[links]]\nurl = "http://evil.example"\nlabel = "x"\n'
    files = {"handouts/welcome/topic.toml": http, "handouts/welcome/de.md": de}
    refused(ws, raw_pack(key, files), key, reasons.MALFORMED)
    # Signed, small, and deeper than the TOML parser can go: refused, not a traceback.
    deep = b'order = 1\ntitle_de = "X"\nlinks = ' + b"[" * 3000 + b"]" * 3000 + b"\n"
    files = {"handouts/welcome/topic.toml": deep, "handouts/welcome/de.md": de}
    error = refused(ws, raw_pack(key, files), key, reasons.MALFORMED)
    assert "too deeply" in str(error)
    assert not any(dirs(ws))


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"format": "kisi-content-pack/2"}, reasons.UNSUPPORTED_VERSION),
        ({"format": "something-else"}, reasons.MALFORMED),
        ({"min_app_version": "99.0.0"}, reasons.UNSUPPORTED_VERSION),
        ({"version": True}, reasons.MALFORMED),
        ({"version": 0}, reasons.MALFORMED),
        ({"version": "2"}, reasons.MALFORMED),
        ({"created": "2026-11-20 10:00:00"}, reasons.MALFORMED),
        ({"expires": "2027-02-30"}, reasons.MALFORMED),
        ({"expires": "2026-01-01"}, reasons.IMPLAUSIBLE),  # before created
        ({"languages": []}, reasons.MALFORMED),
        ({"languages": ["de", "de"]}, reasons.MALFORMED),
        ({"pack_id": "../etc"}, reasons.MALFORMED),
        ({"signed_by": "someone"}, reasons.MALFORMED),
    ],
)
def test_pack_json_is_read_strictly(
    ws: Workspace, key: Key, fields: dict[str, Any], code: str
) -> None:
    de = (shipped_folder() / "welcome/de.md").read_bytes()
    files = {"handouts/welcome/topic.toml": b"", "handouts/welcome/de.md": de}
    refused(ws, raw_pack(key, files, **fields), key, code)


def test_pack_json_with_duplicate_keys_or_a_lying_comment_is_refused(
    ws: Workspace, key: Key
) -> None:
    de = (shipped_folder() / "welcome/de.md").read_bytes()
    files = {"handouts/welcome/de.md": de}
    good = strict_json.dumps({"version": 1})
    dup = good[:-1] + b',"version":2}'
    refused(ws, raw_pack(key, files, pack_json=dup, comment="x"), key, reasons.MALFORMED)
    # Signed, but the trusted comment names another version than pack.json.
    refused(ws, raw_pack(key, files, comment=trusted_comment("kisi-handouts", 9, "0" * 64)),
            key, reasons.TAMPERED)  # fmt: skip


def test_oversized_and_garbage_files_are_refused_fast(ws: Workspace, key: Key) -> None:
    refused(ws, b"\0" * (limits.MAX_CONTENT_PACK_FILE + 1), key, reasons.OVERSIZED)
    refused(ws, b"PK\x03\x04 not really", key, reasons.MALFORMED)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_are_refused_with_a_reason(blob: bytes) -> None:
    with pytest.raises(Rejected) as caught:
        read_pack(blob, [new_key().public])
    assert caught.value.code in reasons.CODES


# ---------------------------------------------------------------------------- atomic install


CHILD = """
import sys
from pathlib import Path
from kisi_desktop.bundles.content_packs import install_pack
from kisi_desktop.bundles.minisign import parse_public_key
from kisi_desktop.core.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]), passphrase=sys.argv[2])
install_pack(ws, Path(sys.argv[3]).read_bytes(), [parse_public_key(sys.argv[4])])
ws.lock()
print("installed")
"""


def _install_in_child(vault: Path, pack: Path, key: Key, crash_at: str | None) -> int:
    env = dict(os.environ)
    env.pop("KISI_CRASH_AT", None)
    if crash_at:
        env["KISI_CRASH_AT"] = crash_at
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(vault), PASSPHRASE, str(pack), key.public.base64()],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done.returncode


def test_a_crash_between_writing_and_the_swap_leaves_the_old_pack_in_use(
    key: Key, tmp_path: Path
) -> None:
    vault = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(vault, PASSPHRASE, kdf=TEST_PARAMS)
    now = datetime.now(UTC)
    created, expires = now - timedelta(days=1), (now + timedelta(days=365)).date()
    install_pack(ws, make(key, texts(tmp_path, "Alt"), 1, created=created, expires=expires),
                 [key.public])  # fmt: skip
    old_dir = dirs(ws)
    ws.lock()
    new = tmp_path / "v2.zip"
    new.write_bytes(make(key, texts(tmp_path, "Neu", "v2"), 2, created=created, expires=expires))

    assert _install_in_child(vault, new, key, "content_pack.written") == -9  # SIGKILL
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    current = installed_pack(ws)
    assert current is not None and current.version == 1
    assert german_heading(ws) == "Alt"
    assert len(dirs(ws)) == 2 and old_dir[0] in dirs(ws)  # the new one, never pointed to
    ws.lock()

    # Killed right after the swap: the new pack is in use, the old folder is left over
    # until the next install clears it.
    assert _install_in_child(vault, new, key, "content_pack.swapped") == -9
    ws = Workspace.open(vault, passphrase=PASSPHRASE)
    assert german_heading(ws) == "Neu" and old_dir[0] in dirs(ws)
    third = make(key, texts(tmp_path, "Drei", "v3"), 3, created=created, expires=expires)
    result = install_pack(ws, third, [key.public])
    assert dirs(ws) == [result.pack.directory]
    ws.lock()


def test_a_failed_swap_removes_the_new_directory(
    ws: Workspace, key: Key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pack(ws, make(key, texts(tmp_path, "Alt"), 1), [key.public])
    before = dirs(ws)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workspace, "update", disk_full)
    with pytest.raises(OSError):
        install_pack(ws, make(key, texts(tmp_path, "Neu", "v2"), 2), [key.public])
    assert dirs(ws) == before and german_heading(ws) == "Alt"


def test_changed_files_beside_the_vault_fall_back_to_the_shipped_texts(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    data = make(key, texts(tmp_path, "Im Paket"), 1)
    install_pack(ws, data, [key.public])
    record = installed_pack(ws)
    assert record is not None
    de = packs_root(ws.path) / record.directory / "handouts" / "welcome" / "de.md"
    de.write_text(de.read_text("utf-8").replace("Im Paket", "Untergeschoben"))
    status = pack_status(ws)
    assert (
        status is not None and not status.intact and "Import the pack again" in str(status.warning)
    )
    assert german_heading(ws) == "Herzlich willkommen"
    # Importing the same pack again repairs it.
    repaired = install_pack(ws, data, [key.public])
    assert repaired.changed and german_heading(ws) == "Im Paket"
    assert dirs(ws) == [repaired.pack.directory]


@contextlib.contextmanager
def files_larger_than(limit: int) -> Iterator[None]:
    """A drive that takes no file over ``limit`` bytes (FAT32 at 4 GiB, a quota): writing
    past it fails with EFBIG, the way a full disk fails with ENOSPC."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)


def test_a_pack_that_cannot_be_written_out_is_said_in_words_and_changes_nothing(
    ws: Workspace, key: Key, tmp_path: Path
) -> None:
    install_pack(ws, make(key, texts(tmp_path, "Alt"), 1), [key.public])
    before = (installed_pack(ws), dirs(ws))
    new = make(key, texts(tmp_path, "Neu", "v2"), 2)
    with files_larger_than(2000), pytest.raises(UserError) as caught:
        install_pack(ws, new, [key.public])  # its Arabic text is 2,309 bytes
    assert not isinstance(caught.value, Rejected)  # the pack is fine; the drive is not
    message = str(caught.value)
    assert message.startswith("The content pack could not be saved beside the vault")
    assert "the file is too large for this drive" in message
    assert message.endswith("Nothing was changed: the handouts keep their texts.")
    assert (installed_pack(ws), dirs(ws)) == before and german_heading(ws) == "Alt"
    assert install_pack(ws, new, [key.public]).pack.version == 2  # room again: it installs
