"""Content packs: handout texts the ministry signs, checked TUF-style before the app uses them.

A pack is a ZIP of ``pack.json`` (what is in it, signed), ``pack.json.minisig`` (minisign,
by one of the content keys the root-signed provisioning file names) and the texts, laid out
like ``resources/handouts`` under ``handouts/``: ``handouts/<topic>/<lang>.md`` and
``handouts/<topic>/topic.toml``. ``pack.json`` lists every file with its length and SHA-256,
so the one signature covers every byte (no mix-and-match of files from two packs).

The checks follow TUF's attack list (SECURITY.md, "Content-pack verification"):

* signature by a currently trusted content key, verified before the JSON is parsed;
  the trusted comment repeats pack id, version and the hash of ``pack.json``, and the
  unsigned first line of the signature must be the one the maker writes;
* a version below the installed one is a ``rollback``; the same version with another
  ``pack.json`` an ``equivocation``; more than ``FAST_FORWARD_LIMIT`` ahead a
  ``fast_forward`` (bounded damage from a stolen content key);
* a pack already past its ``expires`` date at install is ``expired`` (freeze attack), by
  :func:`trusted_now`, which never falls below the newest signed ``created`` installed,
  so turning the clock back does not help; a pack claiming to be made more than
  :data:`CLOCK_SKEW` after the system clock is refused rather than allowed to push that
  floor into the future;
* every file's length and hash match, nothing extra, nothing missing, each text passes the
  handout format checks (markup is data, control characters refused, languages only those
  the app ships), all before anything is written.

Installing writes the pack into a new directory beside the vault, then replaces the
vault's pointer record (``InstalledContentPack``) in one transaction; the old directory is
removed only after that commit. A crash in between leaves the old pointer, so the old texts
stay in use and the stray directory is cleared on the next install. An installed pack that
expires later stays in use, with a warning (:func:`pack_status`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kisi_desktop.core import crashpoints
from kisi_desktop.core.clock import today
from kisi_desktop.core.domain.content_pack import InstalledContentPack
from kisi_desktop.core.domain.ids import new_id
from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import fsync_folder, why_not_written
from kisi_desktop.core.i18n import _, format_date
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles import limits, minisign, safe_zip, strict_json
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.pack_changes import PackChanges, pack_changes
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    EQUIVOCATION,
    EXPIRED,
    FAST_FORWARD,
    IMPLAUSIBLE,
    MALFORMED,
    NOT_PROVISIONED,
    OVERSIZED,
    ROLLBACK,
    TAMPERED,
    UNSUPPORTED_VERSION,
    Rejected,
    reworded,
)
from kisi_desktop.handouts.catalog import Catalog, layer_catalog, shipped_folder
from kisi_desktop.handouts.text_format import ContentError, parse_text

from kisi_desktop import __version__

FORMAT = "kisi-content-pack/1"
PACK_JSON = "pack.json"
PACK_SIG = "pack.json.minisig"
DEFAULT_PACK_ID = "kisi-handouts"
TEXTS = "handouts"
"""The folder inside a pack (and inside an installed pack's directory) holding the texts."""

CLOCK_SKEW = timedelta(days=2)
"""How far a pack's ``created`` may lie ahead of the system clock (time zones, a slow
clock); further ahead is refused, so a stolen key cannot move the time floor to 2099."""

PACK_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})?")
TOPIC = r"[a-z][a-z0-9_]{1,40}"
TEXT_FILE = re.compile(rf"{TEXTS}/({TOPIC})/([a-z]{{2,3}}(?:-[a-z]{{2,8}})?)\.md")
TOPIC_FILE = re.compile(rf"{TEXTS}/({TOPIC})/topic\.toml")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
APP_VERSION = re.compile(r"(\d{1,6})\.(\d{1,6})\.(\d{1,6})")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_LANGUAGES = 100
_KEYS = frozenset(
    {"format", "pack_id", "version", "created", "expires", "min_app_version", "languages", "files"}
)


# ---------------------------------------------------------------------------- the format


@dataclass(frozen=True, slots=True)
class PackFile:
    """What ``pack.json`` says about one file."""

    sha256: str
    length: int


@dataclass(frozen=True, slots=True)
class PackInfo:
    """The parsed ``pack.json``."""

    pack_id: str
    version: int
    created: datetime
    expires: date
    min_app_version: str
    languages: tuple[str, ...]
    files: Mapping[str, PackFile]

    def to_json(self) -> dict[str, Any]:
        """The JSON object (for :func:`strict_json.dumps`)."""
        return {
            "format": FORMAT,
            "pack_id": self.pack_id,
            "version": self.version,
            "created": iso_utc(self.created),
            "expires": self.expires.isoformat(),
            "min_app_version": self.min_app_version,
            "languages": list(self.languages),
            "files": {
                path: {"sha256": f.sha256, "length": f.length}
                for path, f in sorted(self.files.items())
            },
        }


@dataclass(frozen=True, slots=True)
class VerifiedPack:
    """A pack whose signature, manifest and every file passed the checks that need no state."""

    info: PackInfo
    pack_json: bytes
    signature: bytes
    sha256: str
    """SHA-256 (hex) of ``pack.json``: the pack's identity."""
    key_id: str
    """The content key that signed it (minisign spelling)."""
    files: Mapping[str, bytes]


def iso_utc(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``, the only time form packs use."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def trusted_comment(pack_id: str, version: int, pack_sha256: str) -> str:
    """The signature's trusted comment: what ``minisign -V`` shows a person checking a pack."""
    return f"{FORMAT} id={pack_id} version={version} sha256={pack_sha256}"


def untrusted_comment(pack_id: str, version: int) -> str:
    """The signature's first line after ``untrusted comment:``, as the ministry's maker
    writes it; the reader requires exactly this (it is the one line minisign leaves
    unsigned, see bundles/FORMAT.md "Unsigned bytes")."""
    return f"KISI content pack {pack_id} version {version}"


def shipped_languages() -> frozenset[str]:
    """The languages a pack may carry: those the app ships page strings and fonts for."""
    return frozenset(p.stem for p in (shipped_folder() / "languages").glob("*.toml"))


def allowed_name(name: str) -> bool:
    """The only member names a pack may have (the ZIP reader refuses the rest)."""
    return (
        name in (PACK_JSON, PACK_SIG)
        or TEXT_FILE.fullmatch(name) is not None
        or TOPIC_FILE.fullmatch(name) is not None
    )


def _app_version(text: str) -> tuple[int, int, int]:
    match = APP_VERSION.fullmatch(text)
    if match is None:
        raise Rejected(MALFORMED, _("The content pack names no valid app version."))
    return (int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _bad(message: str) -> Rejected:
    return Rejected(MALFORMED, _("Content pack: {problem}").format(problem=message))


def parse_pack_json(data: bytes) -> PackInfo:
    """The strict reading of ``pack.json``: exact keys, exact types, nothing guessed.

    Raises:
        Rejected: MALFORMED or OVERSIZED (from the JSON reader), UNSUPPORTED_VERSION for
            another format version.
    """
    doc = strict_json.loads(data, what=PACK_JSON, max_bytes=limits.MAX_MANIFEST)
    if not isinstance(doc, dict):
        raise _bad(_("pack.json is not an object."))
    fmt = doc.get("format")
    if isinstance(fmt, str) and fmt.startswith("kisi-content-pack/") and fmt != FORMAT:
        raise Rejected(
            UNSUPPORTED_VERSION,
            _(
                "Content pack format {found} is not supported by this version (expected {ok})."
            ).format(found=fmt[:40], ok=FORMAT),
        )
    if fmt != FORMAT:
        raise _bad(_("pack.json is not a KISI content pack."))
    if set(doc) != _KEYS:
        raise _bad(_("pack.json has missing or unknown keys."))
    pack_id, version = doc["pack_id"], doc["version"]
    if not isinstance(pack_id, str) or PACK_ID.fullmatch(pack_id) is None:
        raise _bad(_("pack_id must be a short lower-case name."))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(_("version must be a whole number from 1."))
    created, expires = doc["created"], doc["expires"]
    try:
        if not isinstance(created, str) or ISO_UTC.fullmatch(created) is None:
            raise ValueError
        made = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if not isinstance(expires, str) or ISO_DATE.fullmatch(expires) is None:
            raise ValueError
        until = date.fromisoformat(expires)
    except ValueError:
        raise _bad(_("created (YYYY-MM-DDTHH:MM:SSZ) or expires (YYYY-MM-DD) is wrong.")) from None
    if until < made.date():
        raise Rejected(IMPLAUSIBLE, _("The content pack expires before it was made."))
    app = doc["min_app_version"]
    if not isinstance(app, str):
        raise _bad(_("min_app_version must be text."))
    _app_version(app)
    languages = doc["languages"]
    if (
        not isinstance(languages, list)
        or not 1 <= len(languages) <= MAX_LANGUAGES
        or not all(isinstance(c, str) and LANGUAGE.fullmatch(c) for c in languages)
        or len(set(languages)) != len(languages)
    ):
        raise _bad(_("languages must be a list of distinct language codes."))
    files = doc["files"]
    if not isinstance(files, dict) or not files:
        raise _bad(_("files must list the pack's texts."))
    if len(files) > limits.MAX_CONTENT_PACK_ENTRIES:
        raise Rejected(OVERSIZED, _("The content pack lists too many files."))
    entries: dict[str, PackFile] = {}
    for path, entry in files.items():
        if path in (PACK_JSON, PACK_SIG) or not allowed_name(path):
            raise _bad(_("files names {path!r}, which a pack cannot hold.").format(path=path[:80]))
        if not isinstance(entry, dict) or set(entry) != {"sha256", "length"}:
            raise _bad(_("each file needs exactly sha256 and length."))
        digest, length = entry["sha256"], entry["length"]
        if not isinstance(digest, str) or SHA256.fullmatch(digest) is None:
            raise _bad(_("a file's sha256 is not 64 hex digits."))
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise _bad(_("a file's length is not a whole number."))
        if length > limits.MAX_CONTENT_TEXT:
            raise Rejected(
                OVERSIZED,
                _("{file} is larger than {limit} KiB.").format(
                    file=path, limit=limits.MAX_CONTENT_TEXT // 1024
                ),
            )
        entries[path] = PackFile(digest, length)
    return PackInfo(
        pack_id=pack_id,
        version=version,
        created=made,
        expires=until,
        min_app_version=app,
        languages=tuple(languages),
        files=entries,
    )


def _signature_key_id(signature: bytes) -> bytes:
    """The key id a ``.minisig`` names (second line), to pick the trusted key to check."""
    try:
        line = signature.decode("utf-8").replace("\r\n", "\n").split("\n")[1]
        raw = base64.b64decode(line.strip(), validate=True)
    except (UnicodeDecodeError, IndexError, binascii.Error, ValueError):
        raise Rejected(MALFORMED, _("The content pack's signature is not minisign.")) from None
    if len(raw) != 74:
        raise Rejected(MALFORMED, _("The content pack's signature is not minisign."))
    return raw[2:10]


def read_pack(data: bytes, trusted: Sequence[PublicKey]) -> VerifiedPack:
    """Every check of a pack that needs no installed state, in SECURITY.md's order.

    Size, ZIP structure (``safe_zip``), signature by one of ``trusted`` over ``pack.json``
    with the trusted comment that names it, strict ``pack.json``, the app version, then
    every file: exactly the listed files, each with its length and SHA-256, each text a
    valid handout text in an allowed language.

    Raises:
        Rejected: with the reason code; nothing else escapes.
    """
    if not trusted:
        raise Rejected(
            NOT_PROVISIONED,
            _("No ministry content key is known yet: import the provisioning file first."),
        )
    if len(data) > limits.MAX_CONTENT_PACK_FILE:
        raise Rejected(
            OVERSIZED,
            _("The content pack is larger than {limit} MiB.").format(
                limit=limits.MAX_CONTENT_PACK_FILE // limits.MIB
            ),
        )
    try:
        members = safe_zip.read_zip(
            data,
            canonical=True,
            allowed=allowed_name,
            what=_("content pack"),
            max_entries=limits.MAX_CONTENT_PACK_ENTRIES + 2,
            max_entry=limits.MAX_MANIFEST,
            max_total=limits.MAX_CONTENT_PACK_TOTAL,
        )
    except Rejected as error:
        # The guide cannot act on the ZIP reader's words; the log keeps them (reworded).
        raise reworded(
            error,
            _(
                "This file is not a content pack from the ministry, or it is damaged or "
                "incomplete (for example copied off the USB stick too early). Copy it "
                "again, or ask the ministry to send the content pack again."
            ),
        ) from None
    pack_json, signature = members.get(PACK_JSON), members.get(PACK_SIG)
    if pack_json is None or signature is None:
        raise Rejected(MALFORMED, _("The content pack has no pack.json or no signature."))
    if len(signature) > limits.MAX_SIGNATURE:
        raise Rejected(OVERSIZED, _("The content pack's signature file is too large."))
    key_id = _signature_key_id(signature)
    candidates = [key for key in trusted if key.key_id == key_id]
    if not candidates:
        raise Rejected(
            BAD_SIGNATURE,
            _(
                "The content pack is signed with key {key}, which the provisioning file "
                "imported here does not name as a ministry content key. Ask the ministry to "
                "send the pack again, or check that its current provisioning file is "
                "imported."
            ).format(key=minisign.key_id_hex(key_id)),
        )
    verified: minisign.Verified | None = None
    problem = ""
    for key in candidates:
        try:
            verified = minisign.verify(pack_json, signature, key)
            break
        except minisign.SignatureError as error:
            problem = str(error)
    if verified is None:
        raise Rejected(
            BAD_SIGNATURE,
            _("The content pack's signature does not verify: {problem}").format(problem=problem),
        )
    digest = hashlib.sha256(pack_json).hexdigest()
    info = parse_pack_json(pack_json)
    if verified.trusted_comment != trusted_comment(info.pack_id, info.version, digest):
        raise Rejected(TAMPERED, _("The content pack's signed comment does not match pack.json."))
    if not minisign.written_by_sign(signature, untrusted_comment(info.pack_id, info.version)):
        raise Rejected(
            TAMPERED,
            _(
                "The content pack's signature was changed outside its signed part "
                "(the untrusted comment)."
            ),
        )
    if _app_version(info.min_app_version) > _app_version(__version__):
        raise Rejected(
            UNSUPPORTED_VERSION,
            _("This content pack needs KISI Desktop {needed} or later (this is {have}).").format(
                needed=info.min_app_version, have=__version__
            ),
        )
    texts = {name: body for name, body in members.items() if name not in (PACK_JSON, PACK_SIG)}
    _check_files(info, texts)
    return VerifiedPack(
        info=info,
        pack_json=pack_json,
        signature=signature,
        sha256=digest,
        key_id=minisign.key_id_hex(key_id),
        files=texts,
    )


def _check_files(info: PackInfo, texts: Mapping[str, bytes]) -> None:
    """Exactly the signed files, byte for byte; then each text as the handouts read it."""
    extra = sorted(set(texts) - set(info.files))
    if extra:
        raise Rejected(
            TAMPERED,
            _("The content pack holds {file}, which pack.json does not list.").format(
                file=extra[0]
            ),
        )
    missing = sorted(set(info.files) - set(texts))
    if missing:
        raise Rejected(
            TAMPERED,
            _("The content pack lacks {file}, which pack.json lists.").format(file=missing[0]),
        )
    for name, entry in sorted(info.files.items()):
        body = texts[name]
        if len(body) != entry.length or hashlib.sha256(body).hexdigest() != entry.sha256:
            raise Rejected(
                TAMPERED,
                _("{file} in the content pack was changed after signing.").format(file=name),
            )
    allowed = shipped_languages()
    unknown = sorted(set(info.languages) - allowed)
    if unknown:
        raise _bad(_("language {code!r} is not one this app can print.").format(code=unknown[0]))
    for name, body in sorted(texts.items()):
        match = TEXT_FILE.fullmatch(name)
        if match is None:
            continue
        if match.group(2) not in info.languages:
            raise _bad(_("{file} is in a language pack.json does not list.").format(file=name))
        try:
            parse_text(body, name)
        except ContentError as error:
            raise Rejected(MALFORMED, str(error)) from None


def check_as_catalog(folder: Path) -> Catalog:
    """Lay ``folder`` (a pack's ``handouts``) over the shipped texts as the app will.

    Catches what single files cannot show: a ``topic.toml`` that breaks the format, a new
    topic without one, an unknown placeholder.

    Raises:
        Rejected: MALFORMED, naming the file.
    """
    try:
        return layer_catalog([shipped_folder(), folder])
    except ContentError as error:
        raise Rejected(MALFORMED, str(error)) from None


# ---------------------------------------------------------------------------- the app side


@dataclass(frozen=True, slots=True)
class InstallResult:
    """What an import did: the pack now in use, and whether anything changed."""

    pack: InstalledContentPack
    changed: bool
    replaced_version: int | None
    changes: PackChanges = field(default_factory=PackChanges)
    """The handouts that print differently now (:mod:`kisi_desktop.bundles.pack_changes`)."""


@dataclass(frozen=True, slots=True)
class PackStatus:
    """The installed pack as the status line and reports show it."""

    pack_id: str
    version: int
    created: datetime
    expires: date
    installed_on: date
    languages: tuple[str, ...]
    expired: bool
    intact: bool
    """False when the pack's files beside the vault were changed or removed."""
    warning: str | None


def packs_root(vault_path: Path) -> Path:
    """Where a vault's packs are unpacked: beside the vault file, one folder per vault.

    The default vault lives in the app's data folder (``core/paths.py``), so its packs do
    too; a vault elsewhere (``--vault``, a USB stick, the demo vault) keeps its own packs
    with it, and two vaults in one folder never clear each other's directories.
    """
    return vault_path.with_name(vault_path.name + ".content-packs")


def installed_pack(ws: Workspace) -> InstalledContentPack | None:
    """The vault's pointer to the pack in use, if any."""
    found = ws.list(InstalledContentPack)
    return found[0] if found else None


def trusted_now(ws: Workspace) -> datetime:
    """``max(system clock, floor)``; the floor is the newest signed ``created`` installed."""
    now = ws.clock.now()
    current = installed_pack(ws)
    if current is None:
        return now
    floor = datetime.strptime(current.time_floor, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return max(now, floor)


def _is_installed(pack: VerifiedPack, current: InstalledContentPack | None, ws: Workspace) -> bool:
    """Raise the state-dependent rejections; True when this exact pack is the installed one.

    The order follows what tells the guide most: another series, then rollback and
    equivocation (an attack or a mix-up), then fast-forward, a future date, expiry.
    """
    info = pack.info
    installed = current.version if current is not None else 0
    if current is not None and info.pack_id != current.pack_id:
        raise Rejected(
            IMPLAUSIBLE,
            _("This content pack is from series {found}; this app follows {installed}.").format(
                found=info.pack_id, installed=current.pack_id
            ),
        )
    if info.version < installed:
        raise Rejected(
            ROLLBACK,
            _(
                "Content pack version {found} is older than the installed version {installed}."
            ).format(found=info.version, installed=installed),
        )
    if current is not None and info.version == installed:
        if pack.sha256 != current.pack_sha256:
            raise Rejected(
                EQUIVOCATION,
                _("A different content pack with version {version} is already installed.").format(
                    version=installed
                ),
            )
        return True
    if info.version > installed + limits.FAST_FORWARD_LIMIT:
        raise Rejected(
            FAST_FORWARD,
            _("Content pack version {found} is implausibly far ahead of {installed}.").format(
                found=info.version, installed=installed
            ),
        )
    if info.created > ws.clock.now() + CLOCK_SKEW:
        raise Rejected(
            IMPLAUSIBLE,
            _(
                "The content pack was made on {made}, after this computer's date {today}: "
                "check the computer's clock."
            ).format(made=format_date(info.created.date()), today=format_date(today(ws.clock))),
        )
    now = trusted_now(ws)
    if info.expires < now.date():
        raise Rejected(
            EXPIRED,
            _("The content pack expired on {date}; ask the ministry for a current one.").format(
                date=format_date(info.expires)
            ),
        )
    return False


def install_pack(ws: Workspace, data: bytes, trusted: Sequence[PublicKey]) -> InstallResult:
    """Verify ``data`` and make it the pack in use; see the module docstring for the rules.

    Raises:
        Rejected: the pack is refused; what was installed before stays in use, untouched.
    """
    pack = read_pack(data, trusted)
    current = installed_pack(ws)
    if _is_installed(pack, current, ws) and current is not None:
        if _intact(packs_root(ws.path) / current.directory, current):
            return InstallResult(current, changed=False, replaced_version=current.version)
        # The same pack again after its files beside the vault were damaged: a repair,
        # allowed even once it has expired, since it stays in use anyway.
    old_texts = installed_pack_folder(ws)
    before = layer_catalog([shipped_folder(), *([old_texts] if old_texts else [])])
    root = packs_root(ws.path)
    info = pack.info
    name = f"{info.pack_id}-v{info.version}-{pack.sha256[:12]}-{secrets.token_hex(4)}"
    target = root / name
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        after = _write_directory(target, pack)
    except OSError as error:
        # A full disk or a drive that refuses the files is no fault of the pack.
        raise UserError(
            _(
                "The content pack could not be saved beside the vault ({folder}): {reason}. "
                "Nothing was changed: the handouts keep their texts."
            ).format(folder=root, reason=why_not_written(error))
        ) from None
    crashpoints.reached("content_pack.written")
    record = InstalledContentPack(
        id=current.id if current is not None else new_id(),
        pack_id=info.pack_id,
        version=info.version,
        pack_sha256=pack.sha256,
        created=iso_utc(info.created),
        expires=info.expires,
        installed_on=today(ws.clock),
        directory=name,
        languages=tuple(sorted(info.languages)),
        time_floor=max(iso_utc(info.created), current.time_floor if current else ""),
    )
    try:
        # The swap: one vault transaction replaces the pointer (or writes the first one).
        if current is not None:
            ws.update(record)
        else:
            ws.add(record)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    crashpoints.reached("content_pack.swapped")
    _clear_others(root, keep=name)
    return InstallResult(
        record,
        changed=True,
        replaced_version=current.version if current else None,
        changes=pack_changes(before, after),
    )


def _write_directory(target: Path, pack: VerifiedPack) -> Catalog:
    """The pack's files into a new directory, flushed; checked as a catalog (returned);
    else removed."""
    try:
        target.mkdir(mode=0o700)
        files = {PACK_JSON: pack.pack_json, PACK_SIG: pack.signature}
        files.update(pack.files)
        folders = {target}
        for name, body in sorted(files.items()):
            path = target.joinpath(*name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
            with path.open("xb") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            fsync_folder(folder)
        fsync_folder(target.parent)
        return check_as_catalog(target / TEXTS)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise


def _clear_others(root: Path, keep: str) -> None:
    """Remove replaced packs and directories left by an install that crashed before its swap."""
    for child in root.iterdir():
        if child.name != keep and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)


def _intact(folder: Path, record: InstalledContentPack) -> bool:
    """The directory still holds the signed pack.json and exactly its files, unchanged."""
    try:
        pack_json = (folder / PACK_JSON).read_bytes()
        if hashlib.sha256(pack_json).hexdigest() != record.pack_sha256:
            return False
        info = parse_pack_json(pack_json)
        for name, entry in info.files.items():
            body = folder.joinpath(*name.split("/")).read_bytes()
            if len(body) != entry.length or hashlib.sha256(body).hexdigest() != entry.sha256:
                return False
        texts = folder / TEXTS
        present = {p.relative_to(folder).as_posix() for p in texts.rglob("*") if p.is_file()}
    except (OSError, Rejected):
        return False
    return present == set(info.files)


def installed_pack_folder(ws: Workspace) -> Path | None:
    """The installed pack's ``handouts`` folder, to lay over the shipped texts.

    None when no pack is installed, or when its files beside the vault were changed or
    removed since (then :func:`pack_status` says so and the shipped texts are used).
    """
    record = installed_pack(ws)
    if record is None:
        return None
    folder = packs_root(ws.path) / record.directory
    return folder / TEXTS if _intact(folder, record) else None


def pack_status(ws: Workspace) -> PackStatus | None:
    """The installed pack, whether it has expired (still in use), and the warning to show."""
    record = installed_pack(ws)
    if record is None:
        return None
    created = datetime.strptime(record.created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    expired = record.expires < trusted_now(ws).date()
    intact = _intact(packs_root(ws.path) / record.directory, record)
    warning = None
    if not intact:
        warning = _(
            "The installed content pack's files were changed or removed; the shipped texts "
            "are used. Import the pack again."
        )
    elif expired:
        warning = _("Contents not updated since {date}").format(date=format_date(created.date()))
    return PackStatus(
        pack_id=record.pack_id,
        version=record.version,
        created=created,
        expires=record.expires,
        installed_on=record.installed_on,
        languages=record.languages,
        expired=expired,
        intact=intact,
        warning=warning,
    )
