"""One handout text: front matter and a small Markdown subset (``resources/handouts/FORMAT.md``).

The format is small on purpose so that a guide or the ministry can write a topic in any text
editor, and so that every file can be checked strictly: a text comes from outside the code
(a user folder, later a signed content pack), so anything not in the format is refused with
the file and line, never guessed at.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from kisi_desktop.core.errors import UserError
from kisi_desktop.core.i18n import _

MAX_TEXT_BYTES = 64 * 1024
MAX_LINE_CHARS = 2000
MAX_BLOCKS = 400

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")
"""Control characters, and bidi overrides and isolates: the layout adds its own where needed,
and an override smuggled into a text could make a printed phone number read differently."""


class ContentError(UserError):
    """A handout file breaks the format; the message names the file and line."""


class Review(Enum):
    """Whether a person has checked a text against its German source."""

    SOURCE = "source"
    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"


class BlockKind(Enum):
    """The three kinds of block the format knows."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph or bullet item, as source lines (placeholders still unfilled).

    Lines are kept apart because a line whose placeholder has no value is dropped whole.
    """

    kind: BlockKind
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The key-value lines between the two ``---`` lines."""

    title: str
    review: Review
    reviewed_by: str = ""
    reviewed_on: str = ""
    source_sha256: str = ""


@dataclass(frozen=True, slots=True)
class HandoutText:
    """One language version of one topic."""

    front: FrontMatter
    blocks: tuple[Block, ...]
    content_hash: str
    """SHA-256 of title and body (not of the review lines): what a translation is made from."""


_KEYS = {"title", "review", "reviewed-by", "reviewed-on", "source-sha256"}


def parse_text(raw: bytes, where: str) -> HandoutText:
    """Parse one ``<lang>.md`` file.

    Args:
        raw: the file's bytes (UTF-8).
        where: the file's name for error messages.

    Raises:
        ContentError: the file is too large, not UTF-8, or breaks the format.
    """
    if len(raw) > MAX_TEXT_BYTES:
        raise ContentError(
            _("{file}: larger than {limit} KiB.").format(file=where, limit=MAX_TEXT_BYTES // 1024)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            _("{file}: not UTF-8 text (byte {pos}).").format(file=where, pos=exc.start)
        ) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise ContentError(_line(where, number, _("line too long.")))
        bad = _FORBIDDEN.search(line)
        if bad:
            raise ContentError(
                _line(where, number, _("character U+{code:04X} is not allowed.")).format(
                    code=ord(bad.group(0))
                )
            )
    front, body_start = _front_matter(lines, where)
    blocks = _blocks(lines, body_start, where)
    return HandoutText(front, blocks, content_hash(front.title, lines[body_start:]))


def content_hash(title: str, body_lines: list[str]) -> str:
    """The hash translations record: title and body, with trailing blanks normalised away."""
    body = "\n".join(line.rstrip() for line in body_lines).strip("\n")
    digest = hashlib.sha256(f"{title.strip()}\n\n{body}\n".encode())
    return digest.hexdigest()


def _line(where: str, number: int, message: str) -> str:
    return _("{file}, line {line}: {message}").format(file=where, line=number, message=message)


def _front_matter(lines: list[str], where: str) -> tuple[FrontMatter, int]:
    if not lines or lines[0].strip() != "---":
        raise ContentError(_line(where, 1, _("the file must start with a '---' line.")))
    values: dict[str, str] = {}
    for number in range(1, len(lines)):
        line = lines[number]
        if line.strip() == "---":
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in _KEYS:
            raise ContentError(
                _line(where, number + 1, _("unknown front matter line {line!r}.")).format(
                    line=line[:60]
                )
            )
        if key in values:
            raise ContentError(_line(where, number + 1, _("{key} given twice.")).format(key=key))
        values[key] = value.split(" #", 1)[0].strip()
    else:
        raise ContentError(_line(where, len(lines), _("the front matter is not closed by '---'.")))
    if not values.get("title"):
        raise ContentError(_line(where, 2, _("the front matter needs a title.")))
    try:
        review = Review(values.get("review", ""))
    except ValueError:
        raise ContentError(
            _line(where, 2, _("review must be source, reviewed or unreviewed."))
        ) from None
    digest = values.get("source-sha256", "")
    if digest and digest != "PENDING" and not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ContentError(_line(where, 2, _("source-sha256 must be 64 hex digits.")))
    front = FrontMatter(
        title=values["title"],
        review=review,
        reviewed_by=values.get("reviewed-by", ""),
        reviewed_on=values.get("reviewed-on", ""),
        source_sha256="" if digest == "PENDING" else digest,
    )
    return front, number + 1


def _blocks(lines: list[str], start: int, where: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            blocks.append(Block(BlockKind.PARAGRAPH, tuple(paragraph)))
            paragraph.clear()

    for number in range(start, len(lines)):
        line = lines[number].strip()
        if not line:
            close_paragraph()
            continue
        _check_inline(line, where, number + 1)
        if line.startswith("#"):
            close_paragraph()
            if not line.startswith("## ") or line.startswith("###"):
                raise ContentError(_line(where, number + 1, _("only '## ' headings are allowed.")))
            blocks.append(Block(BlockKind.HEADING, (line[3:].strip(),)))
        elif line.startswith("- "):
            close_paragraph()
            blocks.append(Block(BlockKind.BULLET, (line[2:].strip(),)))
        elif re.match(r"^([*+] |>|<[A-Za-z/!]|\|)", line):
            raise ContentError(
                _line(
                    where,
                    number + 1,
                    _("bullets use '- '; tables, quotes and HTML are not allowed."),
                )
            )
        else:
            paragraph.append(line)
        if len(blocks) > MAX_BLOCKS:
            raise ContentError(_line(where, number + 1, _("too many blocks.")))
    close_paragraph()
    if not blocks:
        raise ContentError(_("{file}: the text is empty.").format(file=where))
    return tuple(blocks)


def _check_inline(line: str, where: str, number: int) -> None:
    if line.count("**") % 2:
        raise ContentError(_line(where, number, _("'**' is not closed on this line.")))
    rest = PLACEHOLDER.sub("", line)
    if "{{" in rest or "}}" in rest:
        raise ContentError(_line(where, number, _("a placeholder is not written as {{name}}.")))


def split_bold(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, bold) at ``**`` marks."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            pieces.append((text[pos : match.start()], False))
        pieces.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces
