"""The ministry's side of content packs: a folder of handout texts into one signed pack.

The folder is laid out like ``resources/handouts`` (topic folders with ``topic.toml`` and
``<lang>.md``; a ``languages`` folder and top-level files such as ``FORMAT.md`` are left
out, since languages come with app releases). The maker refuses what the app would refuse,
and reads its own result back with the app's verifier before handing it out, so the
ministry never sends 42 municipalities a pack they cannot install.

Every pack made is recorded in the ministry's database (``content_packs``: series,
version, when, ``pack.json`` hash), whether the window or ``kisi ministry content-pack``
made it, and the next one must have a higher version: an app refuses a version not
higher than the one it has installed.

A pack that rewrites a German text leaves every translation made from the old one
outdated: the municipalities would print those with an "outdated" notice. The maker says
which (:func:`outdated_translations`), so the ministry can have them translated anew or
knowingly send the German first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.files import write_atomic
from kisi_desktop.core.i18n import _, ngettext

from kisi_desktop.bundles import limits, minisign, safe_zip, strict_json
from kisi_desktop.bundles.content_packs import (
    DEFAULT_PACK_ID,
    PACK_ID,
    PACK_JSON,
    PACK_SIG,
    TEXTS,
    TOPIC_FILE,
    PackFile,
    PackInfo,
    allowed_name,
    read_pack,
    shipped_languages,
    trusted_comment,
    untrusted_comment,
)
from kisi_desktop.bundles.reasons import Rejected
from kisi_desktop.handouts.catalog import (
    SOURCE_LANGUAGE,
    TOPIC_ID,
    Status,
    layer_catalog,
    shipped_folder,
)
from kisi_desktop.handouts.text_format import ContentError
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.store import IntakeStore

from kisi_desktop import __version__


@dataclass(frozen=True, slots=True)
class OutdatedTopic:
    """A topic of the pack whose translations will print marked outdated."""

    topic: str
    title: str
    """The German title, as the apps list it."""
    languages: tuple[str, ...]
    """Every outdated translation, by code: the pack's own and the shipped ones."""
    in_pack: tuple[str, ...]
    """Those of them the pack itself carries."""


@dataclass(frozen=True, slots=True)
class PackSummary:
    """What went into a pack, for the ministry's confirmation line."""

    pack_id: str
    version: int
    expires: date
    languages: tuple[str, ...]
    topics: tuple[str, ...]
    files: int
    sha256: str
    """SHA-256 of ``pack.json``, as the signature's trusted comment names it."""
    outdated: tuple[OutdatedTopic, ...] = ()
    """The pack's topics whose translations will print marked outdated."""


def collect_texts(folder: Path) -> dict[str, bytes]:
    """The pack members a folder gives: ``handouts/<topic>/topic.toml`` and ``<lang>.md``.

    Raises:
        ContentError: the folder breaks the handout format (the message names the file),
            holds a language the app does not ship, or a file that has no place in a pack.
    """
    if not folder.is_dir():
        raise ContentError(_("No handout folder at {path}.").format(path=folder))
    layer_catalog([shipped_folder(), folder])  # the app's own reading of every file
    allowed_languages = shipped_languages()
    files: dict[str, bytes] = {}
    for topic_dir in sorted(folder.iterdir()):
        if not topic_dir.is_dir() or topic_dir.name == "languages":
            continue
        if topic_dir.name.startswith("."):
            continue
        if not TOPIC_ID.fullmatch(topic_dir.name):
            raise ContentError(
                _("{path}: a topic folder is named with a-z, 0-9 and _.").format(path=topic_dir)
            )
        for path in sorted(topic_dir.iterdir()):
            if path.name.startswith("."):
                continue
            name = f"{TEXTS}/{topic_dir.name}/{path.name}"
            if not path.is_file() or path.is_symlink() or not allowed_name(name):
                raise ContentError(
                    _("{path}: only topic.toml and <language>.md files go into a pack.").format(
                        path=path
                    )
                )
            if TOPIC_FILE.fullmatch(name) is None and path.stem not in allowed_languages:
                raise ContentError(
                    _("{path}: {code!r} is not a language the app ships.").format(
                        path=path, code=path.stem
                    )
                )
            body = path.read_bytes()
            if len(body) > limits.MAX_CONTENT_TEXT:
                raise ContentError(
                    _("{file}: larger than {limit} KiB.").format(
                        file=path, limit=limits.MAX_CONTENT_TEXT // 1024
                    )
                )
            files[name] = body
    if not any(name.endswith(".md") for name in files):
        raise ContentError(_("{path}: no handout texts to pack.").format(path=folder))
    if len(files) > limits.MAX_CONTENT_PACK_ENTRIES:
        raise ContentError(_("{path}: too many files for one pack.").format(path=folder))
    return files


def outdated_translations(folder: Path) -> tuple[OutdatedTopic, ...]:
    """The topics in ``folder`` (a pack's texts) with translations that, laid over the
    shipped texts as an app lays an installed pack, were made from another German text.

    Raises:
        ContentError: as :func:`collect_texts`.
    """
    catalog = layer_catalog([shipped_folder(), folder])
    found = []
    for topic_id in catalog.ordered_ids():
        if not (folder / topic_id).is_dir():
            continue
        topic = catalog.topics[topic_id]
        codes = tuple(
            code
            for code in sorted(topic.texts)
            if code != SOURCE_LANGUAGE and topic.status(code) is Status.OUTDATED
        )
        if codes:
            carried = tuple(c for c in codes if (folder / topic_id / f"{c}.md").is_file())
            found.append(OutdatedTopic(topic_id, topic.title_de, codes, carried))
    return tuple(found)


def outdated_lines(outdated: Sequence[OutdatedTopic]) -> list[str]:
    """The warning that translations made from an older German text go out with the pack:
    a heading, then one line per topic, the pack's own translations first."""
    if not outdated:
        return []
    count = sum(len(t.languages) for t in outdated)
    lines = [
        ngettext(
            "Warning: {n} translation was made from another German text and will print "
            "marked outdated until it is translated anew:",
            "Warning: {n} translations were made from another German text and will print "
            "marked outdated until they are translated anew:",
            count,
        ).format(n=count)
    ]
    for topic in outdated:
        codes = [_("{code} (in this pack)").format(code=c) for c in topic.in_pack]
        codes += [c for c in topic.languages if c not in topic.in_pack]
        lines.append(f"  {topic.title} ({topic.topic}): {', '.join(codes)}")
    return lines


def make_content_pack(
    content_private: Ed25519PrivateKey,
    key_id: bytes,
    from_folder: Path,
    version: int,
    expires: date,
    *,
    pack_id: str = DEFAULT_PACK_ID,
    created: datetime | None = None,
    min_app_version: str = __version__,
) -> bytes:
    """A signed content pack (ZIP bytes) of the texts in ``from_folder``.

    Args:
        content_private: the ministry's content-signing key (never the root or receipt key).
        key_id: its minisign key id, as listed in the provisioning file's ``content_keys``.
        from_folder: handout texts laid out like ``resources/handouts``.
        version: higher than every pack sent before (the app refuses anything else).
        expires: after this date the app refuses to install it (installed copies stay in
            use, with a warning).
        pack_id: the series; an app follows one series.
        created: the signing time (now by default); the same inputs give the same bytes.
        min_app_version: the oldest app version that can read the texts.

    Raises:
        UserError: a bad version or date, or a text the app would refuse (``ContentError``).
    """
    made = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if not PACK_ID.fullmatch(pack_id):
        raise UserError(_("The pack id is a short lower-case name (a-z, 0-9, . _ -)."))
    if version < 1 or version > limits.MAX_JSON_INT:
        raise UserError(_("The version is a whole number from 1."))
    if expires < made.date():
        raise UserError(
            _("The pack would expire ({expires}) before it is made ({made}).").format(
                expires=expires.isoformat(), made=made.date().isoformat()
            )
        )
    files = collect_texts(from_folder)
    languages = sorted(
        {name.rsplit("/", 1)[1][: -len(".md")] for name in files if name.endswith(".md")}
    )
    info = PackInfo(
        pack_id=pack_id,
        version=version,
        created=made,
        expires=expires,
        min_app_version=min_app_version,
        languages=tuple(languages),
        files={
            name: PackFile(hashlib.sha256(body).hexdigest(), len(body))
            for name, body in files.items()
        },
    )
    pack_json = strict_json.dumps(info.to_json())
    digest = hashlib.sha256(pack_json).hexdigest()
    signature = minisign.sign(
        pack_json,
        content_private,
        key_id,
        trusted_comment=trusted_comment(pack_id, version, digest),
        untrusted_comment=untrusted_comment(pack_id, version),
    )
    data = safe_zip.write_zip(
        [
            (PACK_JSON, pack_json),
            (PACK_SIG, signature.encode("ascii")),
            *sorted(files.items()),
        ]
    )
    try:
        read_pack(data, [minisign.public_key_of(content_private, key_id)])
    except Rejected as error:
        raise UserError(
            _("The pack would be refused by the app: {problem}").format(problem=error)
        ) from None
    return data


class VersionNotHigher(UserError):
    """A pack version the apps would refuse: not higher than one made here before."""

    def __init__(self, version: int, last: int) -> None:
        super().__init__(
            _(
                "Version {version} is not higher than the last content pack made here "
                "(version {last}): the apps would refuse it. Choose version {next} or higher."
            ).format(version=version, last=last, next=last + 1)
        )
        self.last = last


@dataclass(frozen=True, slots=True)
class MadePack:
    """A content pack made from this ministry folder, as its database records it."""

    pack_id: str
    version: int
    made_at: str
    expires: str
    sha256: str


def made_packs(store: IntakeStore, pack_id: str = DEFAULT_PACK_ID) -> list[MadePack]:
    """The packs of a series made here, newest version first."""
    rows = store.all(
        "SELECT pack_id, version, made_at, expires, sha256 FROM content_packs "
        "WHERE pack_id = ? ORDER BY version DESC",
        (pack_id,),
    )
    return [MadePack(**row) for row in rows]


def last_version(store: IntakeStore, pack_id: str = DEFAULT_PACK_ID) -> int:
    """The highest version of the series made here; 0 before the first."""
    row = store.one("SELECT max(version) AS v FROM content_packs WHERE pack_id = ?", (pack_id,))
    return int((row or {}).get("v") or 0)


def check_version(store: IntakeStore, version: int, pack_id: str = DEFAULT_PACK_ID) -> None:
    """Refuse a version the apps would refuse, before anything is made.

    Raises:
        VersionNotHigher: the series has a pack of this version or a higher one.
    """
    last = last_version(store, pack_id)
    if version <= last:
        raise VersionNotHigher(version, last)


def make_and_record(
    ministry: Ministry,
    from_folder: Path,
    version: int,
    expires: date,
    out: Path,
    *,
    pack_id: str = DEFAULT_PACK_ID,
) -> PackSummary:
    """Make a pack, record it in the ministry's database, then write it to ``out``.

    The version is checked again where the pack is recorded, under the write lock, so
    the window and the CLI making packs at once cannot both take one version. A file
    that cannot be written takes its record back: the version was not handed out.

    Raises:
        VersionNotHigher: the version is not higher than the last pack of the series.
        UserError: what :func:`make_content_pack` refuses.
        OSError: ``out`` cannot be written.
    """
    store = ministry.store
    check_version(store, version, pack_id)
    key = ministry.content
    made = ministry.clock.now()
    data = make_content_pack(
        key.private, key.key_id, from_folder, version, expires, pack_id=pack_id, created=made
    )
    summary = replace(summarize(data, key.public), outdated=outdated_translations(from_folder))
    with store.transaction():
        check_version(store, version, pack_id)
        cursor = store.conn.execute(
            "INSERT INTO content_packs (pack_id, version, made_at, expires, sha256) "
            "VALUES (?, ?, ?, ?, ?)",
            (pack_id, version, ministry.now(), expires.isoformat(), summary.sha256),
        )
    try:
        write_atomic(out, data)
    except OSError:
        with store.transaction():
            store.conn.execute("DELETE FROM content_packs WHERE id = ?", (cursor.lastrowid,))
        raise
    return summary


def summarize(data: bytes, public: minisign.PublicKey) -> PackSummary:
    """What a pack made with :func:`make_content_pack` holds (read back and verified)."""
    pack = read_pack(data, [public])
    info = pack.info
    topics = sorted({name.split("/")[1] for name in info.files})
    return PackSummary(
        pack_id=info.pack_id,
        version=info.version,
        expires=info.expires,
        languages=info.languages,
        topics=tuple(topics),
        files=len(info.files),
        sha256=pack.sha256,
    )
