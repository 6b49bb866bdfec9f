"""The handout catalog: topics and languages from the shipped folder and the user's folders.

Folders are layered: the shipped ``resources/handouts`` first, then each extra folder (the
user's own, or ``--content DIR``). A later folder replaces single files of an earlier one
(one language of one topic, a topic's metadata, a language's page strings) and adds new
topics and languages. Translation status is worked out after layering, so a guide who
rewrites the German of a shipped topic sees every shipped translation of it as outdated.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from kisi_desktop.core.i18n import _
from kisi_desktop.core.paths import user_handouts_dir

from kisi_desktop.handouts.text_format import (
    PLACEHOLDER,
    ContentError,
    HandoutText,
    Review,
    parse_text,
)

SOURCE_LANGUAGE = "de"
TOPIC_ID = re.compile(r"[a-z][a-z0-9_]{1,40}")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})?")
MAX_TOPICS = 200
MAX_LINKS = 5
MAX_TOML_BYTES = 16 * 1024
PAGE_STRINGS = {
    "unreviewed": (),
    "outdated": (),
    "issued": ("date",),
    "page": ("page", "pages"),
    "guide": (),
    "more": (),
}

PLACEHOLDER_NAMES = frozenset(
    {
        "municipality",
        "guide",
        "guide.phone",
        "guide.email",
        "office.address",
        "office.hours",
        "office.phone",
        "office.email",
        "office.website",
    }
)
LOCAL_ROLES = (
    "jobcenter",
    "employment_agency",
    "immigration_office",
    "registration_office",
    "mbe",
    "jmd",
    "course_provider",
    "recognition_counselling",
    "youth_office",
    "school_office",
    "volunteer_centre",
)
"""Institutions a text can name as ``{{local.<role>}}``; the guide marks partners with them."""


def shipped_folder() -> Path:
    """``resources/handouts`` beside the package."""
    return Path(__file__).resolve().parents[2] / "resources" / "handouts"


class Status(Enum):
    """Where a language version stands against the German it was translated from."""

    SOURCE = "source"
    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"
    OUTDATED = "outdated"


@dataclass(frozen=True, slots=True)
class Link:
    """An official web page a topic points to; printed as a QR code with its address."""

    url: str
    label: str


@dataclass(frozen=True, slots=True)
class Language:
    """A handout language: its own name, direction, Babel locale and page strings."""

    code: str
    name: str
    rtl: bool
    locale: str
    strings: dict[str, str]


@dataclass(frozen=True, slots=True)
class Topic:
    """One handout topic with every language version found."""

    id: str
    order: int
    title_de: str
    links: tuple[Link, ...]
    texts: dict[str, HandoutText] = field(default_factory=dict)

    def status(self, language: str) -> Status:
        """Review state of ``language``; a translation of another German text is outdated."""
        text = self.texts[language]
        if language == SOURCE_LANGUAGE:
            return Status.SOURCE
        source = self.texts.get(SOURCE_LANGUAGE)
        if source is None or text.front.source_sha256 != source.content_hash:
            return Status.OUTDATED
        if text.front.review is Review.REVIEWED:
            return Status.REVIEWED
        return Status.UNREVIEWED


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every topic and language after layering the folders."""

    topics: dict[str, Topic]
    languages: dict[str, Language]

    def topic(self, topic_id: str) -> Topic:
        """The topic ``topic_id``; a clear error names the known ones."""
        try:
            return self.topics[topic_id]
        except KeyError:
            raise ContentError(
                _("No handout topic {topic!r}. Known: {known}.").format(
                    topic=topic_id, known=", ".join(self.ordered_ids())
                )
            ) from None

    def language(self, code: str) -> Language:
        """The language ``code``; a clear error names the known ones."""
        try:
            return self.languages[code]
        except KeyError:
            raise ContentError(
                _("No handout language {code!r}. Known: {known}.").format(
                    code=code, known=", ".join(sorted(self.languages))
                )
            ) from None

    def ordered_ids(self) -> list[str]:
        """Topic ids in the order the catalog shows them."""
        return [t.id for t in sorted(self.topics.values(), key=lambda t: (t.order, t.id))]

    def pairs(self) -> list[tuple[str, str]]:
        """Every (topic, language) that can be printed: the text and its language exist."""
        return [
            (topic_id, code)
            for topic_id in self.ordered_ids()
            for code in sorted(self.topics[topic_id].texts)
            if code in self.languages
        ]


def user_catalog(extra: Sequence[Path] = (), *, pack: Path | None = None) -> Catalog:
    """What the app and ``kisi handout`` show: shipped, then the ministry's content pack
    (``pack``), then the user's folder, then ``extra``.

    ``pack`` is the installed pack's texts folder (``bundles.content_packs.
    installed_pack_folder``): the ministry's updates replace the shipped texts, and a guide's
    own files still win over both. The user's folder counts only once it exists; nobody has
    to create it.
    """
    own = user_handouts_dir()
    layers = [*([pack] if pack is not None else []), *([own] if own.is_dir() else [])]
    return load_catalog([*layers, *extra])


def load_catalog(extra: Sequence[Path] = ()) -> Catalog:
    """The shipped catalog with ``extra`` folders layered over it, in order.

    Raises:
        ContentError: a file breaks the format (the message names it), or a folder given
            in ``extra`` does not exist.
    """
    return layer_catalog([shipped_folder(), *extra])


def layer_catalog(folders: Iterable[Path]) -> Catalog:
    """Layer ``folders`` (earliest first) into one catalog; see the module docstring."""
    meta: dict[str, tuple[int, str, tuple[Link, ...]]] = {}
    texts: dict[str, dict[str, HandoutText]] = {}
    languages: dict[str, Language] = {}
    for folder in folders:
        if not folder.is_dir():
            raise ContentError(_("No handout folder at {path}.").format(path=folder))
        lang_dir = folder / "languages"
        if lang_dir.is_dir():
            for path in sorted(lang_dir.glob("*.toml")):
                languages[path.stem] = _language(path)
        topic_dirs = [p for p in sorted(folder.iterdir()) if p.is_dir() and p.name != "languages"]
        if len(topic_dirs) > MAX_TOPICS:
            raise ContentError(_("{path}: too many topic folders.").format(path=folder))
        for topic_dir in topic_dirs:
            if not TOPIC_ID.fullmatch(topic_dir.name):
                raise ContentError(
                    _("{path}: a topic folder is named with a-z, 0-9 and _.").format(path=topic_dir)
                )
            if (topic_dir / "topic.toml").is_file():
                meta[topic_dir.name] = _topic_meta(topic_dir / "topic.toml")
            for path in sorted(topic_dir.glob("*.md")):
                if not LANGUAGE_CODE.fullmatch(path.stem):
                    raise ContentError(
                        _("{path}: the file name must be a language code.").format(path=path)
                    )
                texts.setdefault(topic_dir.name, {})[path.stem] = parse_text(
                    _read(path, 64 * 1024), str(path)
                )
    topics: dict[str, Topic] = {}
    for topic_id, by_language in texts.items():
        if topic_id not in meta:
            raise ContentError(
                _("Topic {topic!r} has texts but no topic.toml.").format(topic=topic_id)
            )
        order, title, links = meta[topic_id]
        for code, text in by_language.items():
            _check_placeholders(text, f"{topic_id}/{code}.md")
        topics[topic_id] = Topic(topic_id, order, title, links, dict(by_language))
    return Catalog(topics, languages)


def _read(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise ContentError(
            _("{file}: larger than {limit} KiB.").format(file=path, limit=limit // 1024)
        )
    return raw


_TOML_WHERE = re.compile(r"\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def _toml(path: Path) -> dict[str, Any]:
    raw = _read(path, MAX_TOML_BYTES)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ContentError(_("{file}: not UTF-8 text.").format(file=path)) from None
    except tomllib.TOMLDecodeError as exc:
        # The parser speaks English only; say what is wrong in the UI language first and
        # keep its words (where exactly) after it.
        found = _TOML_WHERE.search(str(exc))
        if found is None:
            problem = str(exc)
        else:
            problem = _("line {line}, column {column}: {problem}").format(
                line=found["line"], column=found["column"], problem=str(exc)[: found.start()]
            )
        raise ContentError(
            _("{file}: not valid TOML ({problem})").format(file=path, problem=problem)
        ) from None
    except RecursionError:  # arrays nested thousands deep fit in the size limit
        raise ContentError(_("{file}: nested too deeply.").format(file=path)) from None


def _topic_meta(path: Path) -> tuple[int, str, tuple[Link, ...]]:
    data = _toml(path)
    unknown = set(data) - {"order", "title_de", "links"}
    if unknown:
        raise ContentError(
            _("{file}: unknown keys {keys}.").format(file=path, keys=", ".join(sorted(unknown)))
        )
    order, title = data.get("order"), data.get("title_de")
    if not isinstance(order, int) or not isinstance(title, str) or not title.strip():
        raise ContentError(_("{file}: order (a number) and title_de are needed.").format(file=path))
    links = []
    raw_links = data.get("links", [])
    if not isinstance(raw_links, list) or len(raw_links) > MAX_LINKS:
        raise ContentError(_("{file}: at most {n} links.").format(file=path, n=MAX_LINKS))
    for item in raw_links:
        url = item.get("url") if isinstance(item, dict) else None
        label = item.get("label", "") if isinstance(item, dict) else ""
        if (
            not isinstance(url, str)
            or not re.fullmatch(r"https://[A-Za-z0-9.\-]+(?:/[A-Za-z0-9\-._~/?#=&%+]*)?", url)
            or len(url) > 300
            or not isinstance(label, str)
        ):
            raise ContentError(
                _("{file}: each link needs an https:// url and a label.").format(file=path)
            )
        links.append(Link(url, label.strip()))
    return order, title.strip(), tuple(links)


def _language(path: Path) -> Language:
    if not LANGUAGE_CODE.fullmatch(path.stem):
        raise ContentError(_("{path}: the file name must be a language code.").format(path=path))
    data = _toml(path)
    name, direction, locale = data.get("name"), data.get("direction"), data.get("locale", "")
    strings = data.get("strings")
    if not isinstance(name, str) or direction not in ("ltr", "rtl") or not isinstance(locale, str):
        raise ContentError(
            _("{file}: name, direction (ltr or rtl) and locale are needed.").format(file=path)
        )
    if not isinstance(strings, dict):
        raise ContentError(_("{file}: the [strings] table is missing.").format(file=path))
    for key, fields in PAGE_STRINGS.items():
        value = strings.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(_("{file}: string {key!r} is missing.").format(file=path, key=key))
        found = set(re.findall(r"\{(\w+)\}", value))
        if found != set(fields):
            raise ContentError(
                _("{file}: string {key!r} must contain exactly {fields}.").format(
                    file=path, key=key, fields=", ".join("{" + f + "}" for f in fields) or "-"
                )
            )
    return Language(
        code=path.stem,
        name=name.strip(),
        rtl=direction == "rtl",
        locale=locale.strip(),
        strings={k: str(strings[k]).strip() for k in PAGE_STRINGS},
    )


def _check_placeholders(text: HandoutText, where: str) -> None:
    allowed = PLACEHOLDER_NAMES | {f"local.{role}" for role in LOCAL_ROLES}
    for block in text.blocks:
        for line in block.lines:
            for name in PLACEHOLDER.findall(line):
                if name not in allowed:
                    raise ContentError(
                        _("{file}: unknown placeholder {{{{{name}}}}}.").format(
                            file=where, name=name
                        )
                    )
    if PLACEHOLDER.search(text.front.title):
        raise ContentError(_("{file}: the title cannot contain placeholders.").format(file=where))
