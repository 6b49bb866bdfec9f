"""Safe ZIP: our archives are plain and reproducible, hostile archives are refused quickly."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kisi_desktop.core.i18n import set_ui_language

from kisi_desktop.bundles import limits
from kisi_desktop.bundles.reasons import MALFORMED, OVERSIZED, Rejected
from kisi_desktop.bundles.safe_zip import read_zip, write_zip


@pytest.fixture(autouse=True)
def _english_messages() -> None:
    """Reasons are checked in English, the catalogs' source language."""
    set_ui_language("en")


def anything(_name: str) -> bool:
    return True


def read(
    data: bytes, allowed: Callable[[str], bool] = anything, **limits_: int
) -> dict[str, bytes]:
    return read_zip(data, allowed=allowed, what="bundle", **limits_)


# ---------------------------------------------------------------------------------------
# A hand-made archive builder: every field can lie (write_zip and zipfile never would)
# ---------------------------------------------------------------------------------------


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


@dataclass
class Member:
    """One entry; None means "the honest value", ``local`` overrides local-header fields."""

    name: bytes
    content: bytes = b"{}\n"
    method: int = 8
    flags: int = 0
    external: int = 0o100644 << 16
    made_by: int = 0x0314
    crc: int | None = None
    size: int | None = None
    packed: bytes | None = None
    extra: bytes = b""
    local: dict[str, Any] = field(default_factory=dict)
    after: bytes = b""  # e.g. a data descriptor
    offset: int | None = None


def craft(
    members: list[Member],
    *,
    before: bytes = b"",
    between: bytes = b"",
    count: int | None = None,
    cd_offset: int | None = None,
    cd_size: int | None = None,
    disk: int = 0,
    comment: bytes = b"",
    after_cd: bytes = b"",
) -> bytes:
    out = bytearray(before)
    central = bytearray()
    for member in members:
        if member.packed is not None:
            packed = member.packed
        else:
            packed = deflate(member.content) if member.method == 8 else member.content
        crc = zlib.crc32(member.content) if member.crc is None else member.crc
        size = len(member.content) if member.size is None else member.size
        # fmt: off
        local = {"name": member.name, "flags": member.flags, "method": member.method,
                 "crc": crc, "compressed": len(packed), "size": size, "extra": member.extra}
        local.update(member.local)  # the local header's lies
        offset = len(out)
        name, extra = local["name"], local["extra"]
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, local["flags"], local["method"], 0,
                           0x21, local["crc"], local["compressed"], local["size"], len(name),
                           len(extra))
        out += name + extra + packed + member.after + between
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, member.made_by, 20,
                               member.flags, member.method, 0, 0x21, crc, len(packed), size,
                               len(member.name), len(member.extra), 0, 0, 0, member.external,
                               offset if member.offset is None else member.offset)
        # fmt: on
        central += member.name + member.extra
    if between:
        del out[len(out) - len(between) :]
    start = len(out) if cd_offset is None else cd_offset
    out += central + after_cd
    entries = len(members) if count is None else count
    size = len(central) + len(after_cd) if cd_size is None else cd_size
    out += (
        struct.pack(
            "<IHHHHIIH", 0x06054B50, disk, disk, entries, entries, size, start, len(comment)
        )
        + comment
    )
    return bytes(out)


def descriptor(member: Member, *, signature: bool = True, **lies: int) -> bytes:
    values = {
        "crc": zlib.crc32(member.content),
        "compressed": len(deflate(member.content)),
        "size": len(member.content),
    } | lies
    head = b"PK\x07\x08" if signature else b""
    return head + struct.pack("<III", values["crc"], values["compressed"], values["size"])


def streamed(member: Member, *, signature: bool = True, **lies: int) -> Member:
    member.flags |= 0x08
    member.local.update(crc=0, compressed=0, size=0)
    member.after = descriptor(member, signature=signature, **lies)
    return member


def zip64_extra(size: int) -> bytes:
    return struct.pack("<HHQQ", 0x0001, 16, size, size)


# ---------------------------------------------------------------------------------------
# Writing: plain, reproducible archives that every reader agrees on
# ---------------------------------------------------------------------------------------

DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"{port}{n}" for port in ("com", "lpt") for n in range(10)),
}
SEGMENT = st.from_regex(r"[a-z0-9_-][a-z0-9_.-]{0,10}[a-z0-9_-]|[a-z0-9_-]", fullmatch=True).filter(
    lambda part: part.split(".")[0] not in DEVICES
)
NAME = st.lists(SEGMENT, min_size=1, max_size=3).map("/".join)
FILES = st.lists(
    st.tuples(NAME, st.binary(max_size=3000) | st.text(max_size=500).map(str.encode)),
    max_size=8,
    unique_by=lambda item: item[0].casefold(),
)


@settings(max_examples=200, deadline=None)
@given(FILES)
def test_what_we_write_reads_back_in_order(files: list[tuple[str, bytes]]) -> None:
    archive = write_zip(files)
    assert list(read(archive).items()) == files
    assert write_zip(files) == archive  # the same files give the same bytes


@settings(max_examples=200, deadline=None)
@given(FILES)
def test_python_zipfile_reads_what_we_write(files: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(io.BytesIO(write_zip(files))) as archive:
        assert archive.testzip() is None
        assert archive.comment == b""
        assert [(info.filename, archive.read(info)) for info in archive.infolist()] == files
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.extra == b""
            assert info.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)


def test_entries_are_deflated_unless_that_would_not_help_or_look_like_a_bomb() -> None:
    text = b"".join(b'{"id":"c%06d","minutes":%d}\n' % (n, n % 97) for n in range(2000))
    files = [("text.jsonl", text), ("zeros", bytes(1 << 20)), ("empty", b""), ("x", b"x")]
    archive = write_zip(files)
    with zipfile.ZipFile(io.BytesIO(archive)) as unzip:
        methods = [info.compress_type for info in unzip.infolist()]
    assert methods == [zipfile.ZIP_DEFLATED] + [zipfile.ZIP_STORED] * 3
    assert read(archive) == dict(files)  # 1 MiB of zeros is within the 100:1 ratio stored


def test_non_ascii_names_are_marked_utf8() -> None:
    archive = write_zip([("texte/straße-ሰላም.md", b"x")])
    with zipfile.ZipFile(io.BytesIO(archive)) as unzip:
        assert unzip.namelist() == ["texte/straße-ሰላም.md"]
    assert read(archive) == {"texte/straße-ሰላም.md": b"x"}


@pytest.mark.parametrize(
    "files",
    [
        [("../evil", b"")],
        [("/abs", b"")],
        [("dir/", b"")],
        [("a\\b", b"")],
        [("C:x", b"")],
        [("aux.txt", b"")],
        [("a", b""), ("A", b"")],
        [("x" * (limits.MAX_ZIP_NAME + 1), b"")],
    ],
    ids=repr,
)
def test_writer_refuses_names_the_reader_would_refuse(files: list[tuple[str, bytes]]) -> None:
    with pytest.raises(ValueError):
        write_zip(files)


def test_writer_refuses_more_entries_than_a_zip_without_zip64_holds() -> None:
    with pytest.raises(ValueError, match="too many entries"):
        write_zip([("f", b"")] * 0xFFFF)


def test_the_layout_is_fixed_byte_for_byte() -> None:
    """Version, flags, DOS date 1980-01-01, mode 0644 and offsets, as APPNOTE spells them."""
    crc = zlib.crc32(b"x")
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 10, 0, 0, 0, 0x21, crc, 1, 1, 1, 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x030A, 10, 0, 0, 0, 0x21, crc,
                          1, 1, 1, 0, 0, 0, 0, 0o100644 << 16, 0)  # fmt: skip
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, 47, 32, 0)
    assert write_zip([("a", b"x")]) == local + b"ax" + central + b"a" + end


def test_one_mebibyte_is_written_and_read_in_milliseconds() -> None:
    payload = b"".join(
        b'{"id":"c%06d","minutes":%d,"topic":"housing"}\n' % (n, n * 37 % 120)
        for n in range(25_000)
    )[: 1 << 20]
    started = time.perf_counter()
    archive = write_zip([("manifest.json", b"{}"), ("data/contacts.jsonl", payload)])
    written = time.perf_counter()
    assert read(archive)["data/contacts.jsonl"] == payload
    done = time.perf_counter()
    assert written - started < 0.25 and done - written < 0.25


# ---------------------------------------------------------------------------------------
# Reading what other writers make
# ---------------------------------------------------------------------------------------


class Unseekable(io.RawIOBase):
    """A pipe-like sink: zipfile then writes data descriptors after each entry."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        return len(chunk)


@settings(max_examples=100, deadline=None)
@given(FILES, st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]), st.booleans())
def test_we_read_what_python_zipfile_writes(
    files: list[tuple[str, bytes]], method: int, stream: bool
) -> None:
    sink: io.BytesIO | Unseekable = Unseekable() if stream else io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=method) as archive:
        for name, content in files:
            archive.writestr(name, content)
    data = bytes(sink.data) if isinstance(sink, Unseekable) else sink.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    if any(info.file_size > limits.MAX_ZIP_RATIO * info.compress_size for info in infos):
        with pytest.raises(Rejected, match="compressed more than 100:1"):
            read(data)  # zipfile deflates long runs further than our limit allows
    else:
        assert list(read(data).items()) == files
    if stream and infos:
        assert all(info.flag_bits & 0x08 for info in infos)  # data descriptors were read


@pytest.mark.parametrize("signature", [True, False])
def test_data_descriptors_that_tell_the_truth_are_accepted(signature: bool) -> None:
    member = Member(b"a.json", b'{"a":1}')
    assert read(craft([streamed(member, signature=signature)])) == {"a.json": b'{"a":1}'}
    honest_local = Member(b"b", b"bb", flags=0x08)
    honest_local.after = descriptor(honest_local, signature=signature)
    assert read(craft([honest_local])) == {"b": b"bb"}


def test_a_zip_inside_the_zip_is_just_bytes() -> None:
    inner = write_zip([("inner.txt", b"x")])
    inner_bomb = craft([Member(b"../evil", bytes(1 << 16))])
    archive = write_zip([("inner.zip", inner), ("bomb.zip", inner_bomb)])
    assert read(archive) == {"inner.zip": inner, "bomb.zip": inner_bomb}


def test_allowed_decides_which_names_may_appear() -> None:
    archive = write_zip([("manifest.json", b"{}"), ("data/x.jsonl", b"")])
    seen: list[str] = []

    def allowed(name: str) -> bool:
        seen.append(name)
        return name in ("manifest.json", "manifest.json.minisig")

    with pytest.raises(Rejected) as refused:
        read(archive, allowed)
    assert refused.value.code == MALFORMED
    assert str(refused.value) == "bundle: unexpected entry 'data/x.jsonl'."
    assert seen == ["manifest.json", "data/x.jsonl"]


def test_an_empty_archive_has_no_files() -> None:
    assert read(write_zip([])) == {}


# ---------------------------------------------------------------------------------------
# The hostile corpus
# ---------------------------------------------------------------------------------------

GOOD = Member(b"a.json")
VALID = craft([GOOD, Member(b"b.json", b"[1,2,3]\n")])
BOMB = bytes(1 << 20)  # deflates about 1000:1
BIG_BOMB = bytes(10 << 20)


def overlap_quoted() -> bytes:
    """CVE-2024-0450 class: entry a's stored data contains entry b's whole local entry."""
    b_local = craft([Member(b"b", b"inner", method=0)])[: 30 + 1 + 5]
    outer = Member(b"a", b_local, method=0)
    return craft([outer, Member(b"b", b"inner", method=0, offset=30 + 1)])


def overlap_full() -> bytes:
    """Two central entries with different names sharing one local header."""
    return craft([Member(b"a", BOMB[:1000]), Member(b"b", BOMB[:1000], offset=0)])


def zip64_end_records() -> bytes:
    """A ZIP64 end record and locator in front of the classic end record."""
    body = craft([GOOD])
    cd_end = len(body) - 22
    zip64_end = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 1, 1, 0, 0)
    locator = struct.pack("<IIQI", 0x07064B50, 0, cd_end, 1)
    return body[:cd_end] + zip64_end + locator + body[cd_end:]


def zipfile_with_comment() -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        archive.writestr("a.json", b"{}")
        archive.comment = b"hello"
    return sink.getvalue()


def count_lie() -> bytes:
    """The end record lists one entry, the central directory holds two."""
    archive = bytearray(VALID)
    struct.pack_into("<HH", archive, len(archive) - 22 + 8, 1, 1)
    return bytes(archive)


HOSTILE: list[tuple[str, bytes, str, str]] = [
    # Not one plain archive
    ("empty", b"", MALFORMED, "not a ZIP archive"),
    ("garbage", b"MZ\x90\x00" * 40, MALFORMED, "not a ZIP archive"),
    ("end record only, cut", VALID[-10:], MALFORMED, "not a ZIP archive"),
    ("trailing junk", VALID + b"\x00", MALFORMED, "data follows the end"),
    ("archive comment (zipfile)", zipfile_with_comment(), MALFORMED, "data follows the end"),
    ("comment length lie", VALID[:-2] + b"\x05\x00", MALFORMED, "has a comment"),
    ("prepended junk", b"#!/bin/sh\n" + VALID, MALFORMED, "not where the end record says"),
    ("prepended, offsets fixed", craft([GOOD], before=b"junk"), MALFORMED, "belong to no entry"),
    (
        "junk between entries",
        craft([GOOD, Member(b"b")], between=b"hidden"),
        MALFORMED,
        "belong to no entry",
    ),
    ("junk before the CD", craft([Member(b"a", after=b"junk")]), MALFORMED, "belong to no entry"),
    ("junk after the CD", craft([GOOD], after_cd=b"xx"), MALFORMED, "unexplained bytes"),
    ("count lie", count_lie(), MALFORMED, "unexplained bytes"),
    ("more entries than listed", craft([GOOD], count=2), MALFORMED, "cut off"),
    (
        "CD offset lie",
        craft([GOOD], cd_offset=0, cd_size=0),
        MALFORMED,
        "not where the end record says",
    ),
    ("damaged CD", VALID.replace(b"PK\x01\x02", b"PK\x01\x03", 1), MALFORMED, "damaged"),
    ("multi-disk", craft([GOOD], disk=1), MALFORMED, "several disks"),
    # ZIP64 in any form
    ("ZIP64 end count", craft([GOOD], count=0xFFFF), MALFORMED, "ZIP64"),
    ("ZIP64 CD offset", craft([GOOD], cd_offset=0xFFFFFFFF), MALFORMED, "ZIP64"),
    ("ZIP64 end records", zip64_end_records(), MALFORMED, "ZIP64"),
    (
        "ZIP64 sizes",
        craft([Member(b"a", size=0xFFFFFFFF, extra=zip64_extra(3))]),
        MALFORMED,
        "ZIP64",
    ),
    ("ZIP64 extra lies", craft([Member(b"a", extra=zip64_extra(1 << 40))]), MALFORMED, "ZIP64"),
    (
        "ZIP64 extra, local only",
        craft([Member(b"a", local={"extra": zip64_extra(3)})]),
        MALFORMED,
        "ZIP64",
    ),
    (
        "unicode path extra",
        craft([Member(b"a", extra=struct.pack("<HHB", 0x7075, 1, 1))]),
        MALFORMED,
        "second name",
    ),
    ("cut extra field", craft([Member(b"a", extra=b"\x01\x02\x03")]), MALFORMED, "cut off"),
    (
        "extra longer than itself",
        craft([Member(b"a", extra=b"\x99\x99\x09\x00ab")]),
        MALFORMED,
        "cut off",
    ),
    # Features we refuse
    ("encrypted", craft([Member(b"a", flags=0x01)]), MALFORMED, "encrypted"),
    ("strong encryption", craft([Member(b"a", flags=0x40)]), MALFORMED, "features"),
    ("masked CD", craft([Member(b"a", flags=0x2000)]), MALFORMED, "features"),
    ("bzip2", craft([Member(b"a", method=12, packed=b"BZh")]), MALFORMED, "compression method"),
    ("lzma", craft([Member(b"a", method=14, packed=b"\x00")]), MALFORMED, "compression method"),
    ("AES (WinZip)", craft([Member(b"a", method=99, flags=0x01)]), MALFORMED, "encrypted"),
    # Zip slip and names that mean something else elsewhere
    ("dot-dot", craft([Member(b"../evil.json")]), MALFORMED, "'..' part"),
    ("dot-dot inside", craft([Member(b"data/../../etc/cron.d/x")]), MALFORMED, "'..' part"),
    ("dot-dot at end", craft([Member(b"data/..")]), MALFORMED, "'..' part"),
    ("dot segment", craft([Member(b"./manifest.json")]), MALFORMED, "'.' or '..'"),
    ("double slash", craft([Member(b"data//x")]), MALFORMED, "empty, '.' or '..'"),
    ("absolute", craft([Member(b"/etc/passwd")]), MALFORMED, "absolute path"),
    ("backslash traversal", craft([Member(b"..\\..\\evil")]), MALFORMED, "backslash"),
    ("UNC path", craft([Member(b"\\\\server\\share\\x")]), MALFORMED, "backslash"),
    ("drive letter", craft([Member(b"C:/Windows/evil")]), MALFORMED, "drive letter"),
    ("drive-relative", craft([Member(b"c:evil")]), MALFORMED, "drive letter"),
    ("NTFS stream", craft([Member(b"a.json:hidden")]), MALFORMED, "colon"),
    ("trailing dot", craft([Member(b"manifest.json.")]), MALFORMED, "not a valid file name on"),
    ("trailing space", craft([Member(b"data /x")]), MALFORMED, "on Windows"),
    ("device name", craft([Member(b"texts/NUL.md")]), MALFORMED, "on Windows"),
    ("device name, port", craft([Member(b"com1")]), MALFORMED, "on Windows"),
    ("wildcard", craft([Member(b"a*.json")]), MALFORMED, "on Windows"),
    ("NUL", craft([Member(b"a.json\x00.txt")]), MALFORMED, "control characters"),
    ("newline", craft([Member(b"a\nb")]), MALFORMED, "control characters"),
    ("DEL", craft([Member(b"a\x7f")]), MALFORMED, "control characters"),
    ("C1 control (UTF-8)", craft([Member("a\x85".encode(), flags=0x800)]), MALFORMED, "control"),
    ("empty name", craft([Member(b"")]), MALFORMED, "empty name"),
    ("invalid UTF-8 name", craft([Member(b"a\xff", flags=0x800)]), MALFORMED, "not valid UTF-8"),
    ("long name", craft([Member(b"n" * (limits.MAX_ZIP_NAME + 1))]), OVERSIZED, "longer than"),
    ("directory", craft([Member(b"data/", b"")]), MALFORMED, "is a directory"),
    ("DOS directory bit", craft([Member(b"data", b"", external=0x10)]), MALFORMED, "directory"),
    (
        "Unix directory mode",
        craft([Member(b"d", b"", external=0o040755 << 16)]),
        MALFORMED,
        "directory",
    ),
    (
        "symlink",
        craft([Member(b"a.json", b"/etc/passwd", external=0o120777 << 16)]),
        MALFORMED,
        "symbolic link",
    ),
    (
        "symlink from DOS host",
        craft([Member(b"l", b"/", made_by=0, external=0o120777 << 16)]),
        MALFORMED,
        "symbolic link",
    ),
    ("FIFO", craft([Member(b"f", b"", external=0o010644 << 16)]), MALFORMED, "not a regular"),
    ("device", craft([Member(b"f", b"", external=0o020644 << 16)]), MALFORMED, "not a regular"),
    ("duplicate", craft([GOOD, GOOD]), MALFORMED, "appears twice"),
    ("case-folded duplicate", craft([Member(b"A.JSON"), GOOD]), MALFORMED, "appears twice"),
    (
        "sharp s",
        craft([Member("straße".encode(), flags=0x800), Member(b"STRASSE")]),
        MALFORMED,
        "appears twice",
    ),
    (
        "NFC and NFD",
        craft([Member("\u00e9".encode(), flags=0x800), Member("e\u0301".encode(), flags=0x800)]),
        MALFORMED,
        "appears twice",
    ),
    # Overlap (CVE-2024-0450) and local headers that disagree
    ("quoted overlap", overlap_quoted(), MALFORMED, "entries overlap"),
    ("full overlap", overlap_full(), MALFORMED, "disagrees"),
    ("offset past the CD", craft([Member(b"a", offset=10_000)]), MALFORMED, "disagrees"),
    (
        "local name",
        craft([Member(b"a.json", local={"name": b"../x.json"})]),
        MALFORMED,
        "local header of 'a.json' disagrees",
    ),
    ("local method", craft([Member(b"a", local={"method": 0})]), MALFORMED, "disagrees"),
    ("local flags", craft([Member(b"a", local={"flags": 0x08})]), MALFORMED, "disagrees"),
    ("local CRC", craft([Member(b"a", local={"crc": 1})]), MALFORMED, "disagrees"),
    ("local size", craft([Member(b"a", local={"size": 99})]), MALFORMED, "disagrees"),
    (
        "local compressed size",
        craft([Member(b"a", local={"compressed": 1})]),
        MALFORMED,
        "disagrees",
    ),
    (
        "local zeros, no descriptor",
        craft([Member(b"a", local={"crc": 0, "compressed": 0, "size": 0})]),
        MALFORMED,
        "disagrees",
    ),
    ("local signature", VALID.replace(b"PK\x03\x04", b"PK\x03\x05", 1), MALFORMED, "disagrees"),
    # Data descriptor lies
    (
        "descriptor CRC lie",
        craft([streamed(Member(b"a"), crc=1)]),
        MALFORMED,
        "data descriptor of 'a' disagrees",
    ),
    ("descriptor size lie", craft([streamed(Member(b"a"), size=2)]), MALFORMED, "descriptor"),
    (
        "descriptor compressed lie",
        craft([streamed(Member(b"a"), compressed=4)]),
        MALFORMED,
        "descriptor",
    ),
    ("descriptor missing", craft([Member(b"a", flags=0x08)]), MALFORMED, "descriptor"),
    (
        "descriptor, no signature, lie",
        craft([streamed(Member(b"a"), signature=False, crc=7)]),
        MALFORMED,
        "descriptor",
    ),
    # Bombs, limits and lying sizes
    ("1:1000 deflate bomb", craft([Member(b"bomb", BOMB)]), OVERSIZED, "more than 100:1"),
    (
        "bomb with lying size",
        craft([Member(b"bomb", BIG_BOMB, size=1 << 19)]),
        MALFORMED,
        "does not inflate to its declared size",
    ),
    (
        "size larger than content",
        craft([Member(b"a", b"0123456789" * 10, size=110)]),
        MALFORMED,
        "declared size",
    ),
    (
        "size smaller than content",
        craft([Member(b"a", b"abcdef", size=3)]),
        MALFORMED,
        "declared size",
    ),
    (
        "stored sizes differ",
        craft([Member(b"a", method=0, size=2)]),
        MALFORMED,
        "two different sizes",
    ),
    ("deflate says zero bytes", craft([Member(b"a", packed=b"")]), OVERSIZED, "compressed more"),
    (
        "entry over 64 MiB",
        craft([Member(b"a", size=limits.MAX_ZIP_ENTRY + 1, packed=bytes(1 << 20))]),
        OVERSIZED,
        "larger than",
    ),
    ("65 entries", write_zip([(f"f{n}", b"") for n in range(65)]), OVERSIZED, "65 entries"),
    ("CRC wrong", craft([Member(b"a", crc=0xDEADBEEF)]), MALFORMED, "CRC-32"),
    ("CRC wrong, stored", craft([Member(b"a", method=0, crc=0)]), MALFORMED, "CRC-32"),
    (
        "not deflate data",
        craft([Member(b"a", packed=b"\xff\xff\xff\xff")]),
        MALFORMED,
        "not valid deflate",
    ),
    (
        "deflate stream cut",
        craft([Member(b"a", b"abc" * 50, packed=deflate(b"abc" * 50)[:-3])]),
        MALFORMED,
        "declared size",
    ),
    (
        "bytes after the deflate stream",
        craft([Member(b"a", packed=deflate(b"{}\n") + b"xx")]),
        MALFORMED,
        "declared size",
    ),
]


@pytest.mark.parametrize(
    ("data", "code", "reason"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_archives_are_refused_quickly_with_a_reason(
    data: bytes, code: str, reason: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(Rejected) as refused:
        read(data)
    assert time.perf_counter() - started < 1.0
    assert refused.value.code == code
    assert str(refused.value).startswith("bundle: ")
    assert reason in str(refused.value)


def test_the_hand_made_archives_are_otherwise_valid() -> None:
    """The corpus lies in one field at a time: the same builder without lies is accepted."""
    assert read(VALID) == {"a.json": b"{}\n", "b.json": b"[1,2,3]\n"}
    assert read(craft([Member(b"s", b"stored", method=0)])) == {"s": b"stored"}
    with zipfile.ZipFile(io.BytesIO(VALID)) as unzip:
        assert unzip.testzip() is None


def test_limits_can_be_tightened_per_call() -> None:
    archive = write_zip([("a", b"12345"), ("b", b"67890")])
    for limits_, reason in [
        ({"max_entries": 1}, "2 entries, at most 1"),
        ({"max_entry": 4}, "larger than 4 bytes"),
        ({"max_total": 9}, "larger than 9 bytes together"),
    ]:
        with pytest.raises(Rejected) as refused:
            read(archive, **limits_)
        assert (refused.value.code, reason in str(refused.value)) == (OVERSIZED, True)
    packed = write_zip([("a", b"a" * 200)])
    with pytest.raises(Rejected, match="more than 5:1"):
        read(packed, max_ratio=5)


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_any_damaged_archive_is_read_or_refused_never_a_traceback(data: st.DataObject) -> None:
    archive = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(archive) - 1))
        archive[position] = data.draw(st.integers(0, 255))
    try:
        read(bytes(archive))
    except Rejected as refusal:
        assert refusal.code in (MALFORMED, OVERSIZED)


def test_every_cut_of_an_archive_is_refused() -> None:
    archive = write_zip([("manifest.json", b'{"a":1}'), ("data/x.jsonl", b"[1]\n" * 50)])
    for length in range(len(archive)):
        with pytest.raises(Rejected):
            read(archive[:length])


def test_canonical_mode_takes_only_what_write_zip_lays_out() -> None:
    files = [("manifest.json", b'{"a":1}' * 50), ("data/x.jsonl", b"{}\n" * 400)]
    ours = write_zip(files)
    assert read_zip(ours, allowed=lambda n: True, what="bundle", canonical=True) == dict(files)
    # The same files from zipfile: accepted normally, refused where only KISI writes.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    theirs = buffer.getvalue()
    assert read_zip(theirs, allowed=lambda n: True, what="bundle") == dict(files)
    with pytest.raises(Rejected, match="not laid out as KISI writes it"):
        read_zip(theirs, allowed=lambda n: True, what="bundle", canonical=True)
    # A timestamp is outside every hash, but not outside the canonical check.
    stamped = bytearray(ours)
    stamped[10] ^= 0x01  # local header: modification time
    assert read_zip(bytes(stamped), allowed=lambda n: True, what="bundle") == dict(files)
    with pytest.raises(Rejected) as caught:
        read_zip(bytes(stamped), allowed=lambda n: True, what="bundle", canonical=True)
    assert caught.value.code == MALFORMED
