"""ZIP archives from outside, read as hostile; ZIP archives of ours, written reproducibly.

Bundles, receipts, provisioning files and content packs are ZIP archives (SECURITY.md,
"Ministry verification order", step 3). :mod:`zipfile` trusts too much for that: it takes
sizes from headers, finds the end record by searching (so junk before and after is
accepted), lets local headers and central entries disagree and, before CVE-2024-0450,
accepted entries that overlap. :func:`read_zip` therefore parses the structure itself, from
the end record that must close the data to the first local header that must open it, and
refuses (with :class:`~kisi_desktop.bundles.reasons.Rejected`, never another exception):

* anything but one plain archive: junk before, between or after the entries, an archive
  comment, several disks, ZIP64 in any form, encryption, methods other than stored and
  deflate, flags it does not know;
* names that could mean something else somewhere else: ``..``, absolute paths, backslashes,
  drive letters and colons, control characters, directories, names Windows would change
  or map to a device (``a.json.``, ``nul.txt``, ``?``), names that differ only in case or
  Unicode normalisation, and any name the caller's ``allowed`` does not accept;
* symbolic links and other non-regular files (the Unix mode in the external attributes);
* a local header that disagrees with its central entry (name, flags, method, CRC, sizes), a
  data descriptor that disagrees, entries that overlap or leave gaps (the entries must tile
  the space before the central directory exactly - this is the CVE-2024-0450 check);
* too many entries, too large (declared *and* counted while inflating), too compressed
  (ratio), a wrong CRC-32.

:func:`write_zip` writes only what :func:`read_zip` accepts (sane names, no extras, no
comment, no ZIP64, ratio within the limit) with a fixed timestamp and mode, so the same
files give the same bytes.
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles import limits
from kisi_desktop.bundles.reasons import MALFORMED, OVERSIZED, Rejected

_LOCAL = struct.Struct("<IHHHHHIIIHH")  # 30 bytes, APPNOTE 4.3.7
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # 46 bytes, APPNOTE 4.3.12
_END = struct.Struct("<IHHHHIIH")  # 22 bytes, APPNOTE 4.3.16
_DESCRIPTOR = struct.Struct("<III")  # crc, compressed size, size (APPNOTE 4.3.9)

_LOCAL_SIG = 0x04034B50
_CENTRAL_SIG = 0x02014B50
_END_SIG = 0x06054B50
_DESCRIPTOR_SIG = 0x08074B50
_ZIP64_LOCATOR_SIG = b"PK\x06\x07"

_STORED = 0
_DEFLATED = 8

_FLAG_ENCRYPTED = 0x0001
_FLAG_DEFLATE_OPTIONS = 0x0006  # compression level hints, harmless
_FLAG_DESCRIPTOR = 0x0008
_FLAG_UTF8 = 0x0800
_KNOWN_FLAGS = _FLAG_ENCRYPTED | _FLAG_DEFLATE_OPTIONS | _FLAG_DESCRIPTOR | _FLAG_UTF8

_EXTRA_ZIP64 = 0x0001
_EXTRA_UNICODE_PATH = 0x7075  # a second name that other tools would show instead

_DOS_DIRECTORY = 0x10
_FILE_TYPE = 0o170000
_REGULAR = 0o100000
_DIRECTORY = 0o040000
_SYMLINK = 0o120000

_MAX_U16 = 0xFFFF
_MAX_U32 = 0xFFFFFFFF

# What write_zip puts in every entry: 1980-01-01 00:00 (the earliest DOS date), version 2.0
# (deflate) made on Unix, mode -rw-r--r--.
_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1
_MADE_BY_UNIX = 3 << 8
_VERSION_DEFLATE = 20
_VERSION_STORED = 10
_FILE_MODE = (_REGULAR | 0o644) << 16
_LEVEL = 6  # zlib's default: 1 MiB of JSON Lines in ~4 ms; level 9 takes ~8x longer

_WINDOWS_FORBIDDEN = frozenset('<>"|?*')
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)

_SHOWN = 60  # characters of a hostile name quoted in a message


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int


def _shown(name: str) -> str:
    return repr(name[:_SHOWN])


def _name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain relative file path, or None if it is one."""
    if not name:
        return _("an entry has an empty name")
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in name):
        return _("the name {name} contains control characters").format(name=_shown(name))
    if "\\" in name:
        return _("the name {name} contains a backslash").format(name=_shown(name))
    if ":" in name:
        return _("the name {name} contains a colon or drive letter").format(name=_shown(name))
    if name.startswith("/"):
        return _("the name {name} is an absolute path").format(name=_shown(name))
    if name.endswith("/"):
        return _("the entry {name} is a directory").format(name=_shown(name))
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return _("the name {name} contains an empty, '.' or '..' part").format(name=_shown(name))
    if (
        any(char in _WINDOWS_FORBIDDEN for char in name)
        or any(part.endswith((".", " ")) for part in parts)
        or any(part.split(".")[0].rstrip(" ").casefold() in _WINDOWS_DEVICES for part in parts)
    ):
        # Windows drops trailing dots and spaces ("a.json." is "a.json") and maps device
        # names ("nul.txt") to devices: such a name would be another file, or none, there.
        return _("the name {name} is not a valid file name on Windows").format(name=_shown(name))
    return None


def _folded(name: str) -> str:
    """The form under which two names would be the same file on some file system."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def write_zip(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of ``files`` in the given order; the same input gives the same bytes.

    Entries are deflated, or stored when deflate does not make them smaller or would pack
    them tighter than ``MAX_ZIP_RATIO`` (the reader would refuse that); dated 1980-01-01
    00:00, mode 0644, without extra fields, directories, comment or ZIP64. A name
    :func:`read_zip` would refuse, a duplicate, or a size that needs ZIP64 is a
    ``ValueError`` (a bug in the caller, not bad input). Entry count and sizes are the
    caller's to keep within the limits its reader applies.
    """
    if len(files) >= _MAX_U16:
        raise ValueError("too many entries for a ZIP without ZIP64")
    seen: set[str] = set()
    laid_out: list[tuple[bytes, int, int, bytes | memoryview, int]] = []
    offset = 0
    for name, content in files:
        problem = _name_problem(name)
        if problem is not None:
            raise ValueError(problem)
        raw_name = name.encode("utf-8")
        if len(raw_name) > limits.MAX_ZIP_NAME:
            raise ValueError(f"name longer than {limits.MAX_ZIP_NAME} bytes: {name!r}")
        if _folded(name) in seen:
            raise ValueError(f"duplicate name (ignoring case): {name!r}")
        seen.add(_folded(name))
        compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        packed = compressor.compress(content) + compressor.flush()
        if len(packed) >= len(content) or len(content) > limits.MAX_ZIP_RATIO * len(packed):
            method, packed = _STORED, bytes(content)
        else:
            method = _DEFLATED
        if len(content) >= _MAX_U32 or offset + len(packed) >= _MAX_U32:
            raise ValueError("archive too large for a ZIP without ZIP64")
        laid_out.append((raw_name, method, zlib.crc32(content), packed, len(content)))
        offset += _LOCAL.size + len(raw_name) + len(packed)
    archive = _layout(laid_out)
    if len(archive) >= _MAX_U32:
        raise ValueError("archive too large for a ZIP without ZIP64")
    return archive


def _layout(entries: Sequence[tuple[bytes, int, int, bytes | memoryview, int]]) -> bytes:
    """The archive write_zip makes around already compressed entries.

    Each entry is ``(raw name, method, CRC-32, compressed bytes, size)``. Shared by the
    writer and by :func:`read_zip`'s ``canonical`` check, which rebuilds an archive from
    what it read and compares: only the compressed bytes are taken over, so a different
    zlib version on the ministry's side changes nothing.
    """
    local_parts: list[bytes | memoryview] = []
    central_parts: list[bytes] = []
    offset = 0
    for raw_name, method, crc, packed, size in entries:
        flags = 0 if raw_name.isascii() else _FLAG_UTF8
        version = _VERSION_DEFLATE if method == _DEFLATED else _VERSION_STORED
        sizes = (crc, len(packed), size, len(raw_name), 0)  # 0: no extra field
        local_parts += [
            _LOCAL.pack(_LOCAL_SIG, version, flags, method, _DOS_TIME, _DOS_DATE, *sizes),
            raw_name,
            packed,
        ]
        central_parts += [
            _CENTRAL.pack(_CENTRAL_SIG, _MADE_BY_UNIX | version, version, flags, method,
                          _DOS_TIME, _DOS_DATE, *sizes, 0, 0, 0, _FILE_MODE, offset),
            raw_name,
        ]  # fmt: skip
        offset += _LOCAL.size + len(raw_name) + len(packed)
    central = b"".join(central_parts)
    end = _END.pack(_END_SIG, 0, 0, len(entries), len(entries), len(central), offset, 0)
    return b"".join([*local_parts, central, end])


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


class _Refusal(Exception):
    """Raised by the checks below; :func:`read_zip` adds the archive's name."""

    def __init__(self, problem: str, code: str = MALFORMED) -> None:
        super().__init__(problem)
        self.problem = problem
        self.code = code


def _end_record(data: bytes, max_entries: int) -> tuple[int, int, int]:
    """(entry count, central directory offset, its size) from the end record."""
    end_at = len(data) - _END.size
    if end_at < 0 or data[end_at : end_at + 4] != b"PK\x05\x06":
        raise _Refusal(_("not a ZIP archive, or data follows the end of the archive"))
    _sig, disk, cd_disk, on_disk, count, cd_size, cd_offset, comment = _END.unpack_from(
        data, end_at
    )
    if comment:
        raise _Refusal(_("the archive has a comment"))
    if (
        _MAX_U16 in (disk, cd_disk, on_disk, count)
        or _MAX_U32 in (cd_size, cd_offset)
        or (end_at >= 20 and data[end_at - 20 : end_at - 16] == _ZIP64_LOCATOR_SIG)
    ):
        raise _Refusal(_("ZIP64 is not supported"))
    if disk or cd_disk or on_disk != count:
        raise _Refusal(_("archives split over several disks are not supported"))
    if count > max_entries:
        raise _Refusal(
            _("{count} entries, at most {limit} are allowed").format(
                count=count, limit=max_entries
            ),
            OVERSIZED,
        )
    if cd_offset + cd_size != end_at:
        raise _Refusal(_("the central directory is not where the end record says"))
    return count, cd_offset, cd_size


def _central_entry(data: bytes, position: int, cd_end: int) -> tuple[_Entry, int, int]:
    """One central directory entry at ``position``: (entry, external attributes, next)."""
    if position + _CENTRAL.size > cd_end:
        raise _Refusal(_("the central directory is cut off"))
    (sig, _made_by, _version, flags, method, _time, _date, crc, compressed, size,
     name_length, extra_length, comment_length, disk, _internal, external,
     offset) = _CENTRAL.unpack_from(data, position)  # fmt: skip
    if sig != _CENTRAL_SIG:
        raise _Refusal(_("the central directory is damaged"))
    name_at = position + _CENTRAL.size
    extra_at = name_at + name_length
    following = extra_at + extra_length + comment_length
    if following > cd_end:
        raise _Refusal(_("the central directory is cut off"))
    if _MAX_U32 in (compressed, size, offset) or disk == _MAX_U16:
        raise _Refusal(_("ZIP64 is not supported"))
    _check_extras(data[extra_at : extra_at + extra_length])
    if disk:
        raise _Refusal(_("archives split over several disks are not supported"))
    if flags & _FLAG_ENCRYPTED:
        raise _Refusal(_("encrypted entries are not supported"))
    if flags & ~_KNOWN_FLAGS:
        raise _Refusal(_("an entry uses ZIP features this reader refuses"))
    if method not in (_STORED, _DEFLATED):
        raise _Refusal(_("an entry uses a compression method other than stored or deflate"))
    raw_name = data[name_at:extra_at]
    if len(raw_name) > limits.MAX_ZIP_NAME:
        raise _Refusal(
            _("an entry name is longer than {limit} bytes").format(limit=limits.MAX_ZIP_NAME),
            OVERSIZED,
        )
    try:
        name = raw_name.decode("utf-8" if flags & _FLAG_UTF8 else "cp437")
    except UnicodeDecodeError:
        raise _Refusal(_("an entry name is not valid UTF-8")) from None
    entry = _Entry(name, raw_name, flags, method, crc, compressed, size, offset)
    return entry, external, following


def _check_extras(extra: bytes) -> None:
    position = 0
    while position < len(extra):
        if position + 4 > len(extra):
            raise _Refusal(_("an extra field is cut off"))
        kind, length = struct.unpack_from("<HH", extra, position)
        position += 4 + length
        if position > len(extra):
            raise _Refusal(_("an extra field is cut off"))
        if kind == _EXTRA_ZIP64:
            raise _Refusal(_("ZIP64 is not supported"))
        if kind == _EXTRA_UNICODE_PATH:
            raise _Refusal(_("an extra field gives the entry a second name"))


def _check_file(entry: _Entry, external: int) -> None:
    """A plain file with a plain name: no directory, link, device or path trick."""
    problem = _name_problem(entry.name)
    if problem is not None:
        raise _Refusal(problem)
    shown = _shown(entry.name)
    file_type = (external >> 16) & _FILE_TYPE  # the Unix mode, whatever system wrote it
    if external & _DOS_DIRECTORY or file_type == _DIRECTORY:
        raise _Refusal(_("the entry {name} is a directory").format(name=shown))
    if file_type == _SYMLINK:
        raise _Refusal(_("the entry {name} is a symbolic link").format(name=shown))
    if file_type not in (0, _REGULAR):
        raise _Refusal(_("the entry {name} is not a regular file").format(name=shown))


def _check_sizes(entry: _Entry, max_entry: int, max_ratio: int) -> None:
    shown = _shown(entry.name)
    if entry.size > max_entry:
        raise _Refusal(
            _("the entry {name} is larger than {limit} bytes").format(name=shown, limit=max_entry),
            OVERSIZED,
        )
    if entry.method == _STORED and entry.compressed != entry.size:
        raise _Refusal(_("the stored entry {name} has two different sizes").format(name=shown))
    if entry.method == _DEFLATED and entry.size > max_ratio * entry.compressed:
        raise _Refusal(
            _("the entry {name} is compressed more than {ratio}:1").format(
                name=shown, ratio=max_ratio
            ),
            OVERSIZED,
        )


def _local_span(data: bytes, entry: _Entry, cd_offset: int) -> tuple[int, int]:
    """(start of the compressed data, end of the entry) after checking the local header."""
    disagrees = _Refusal(
        _("the local header of {name} disagrees with the central directory").format(
            name=_shown(entry.name)
        )
    )
    if entry.offset + _LOCAL.size > cd_offset:
        raise disagrees
    (sig, _version, flags, method, _time, _date, crc, compressed, size, name_length,
     extra_length) = _LOCAL.unpack_from(data, entry.offset)  # fmt: skip
    name_at = entry.offset + _LOCAL.size
    start = name_at + name_length + extra_length
    end = start + entry.compressed
    declared = (entry.crc, entry.compressed, entry.size)
    if (
        sig != _LOCAL_SIG
        or end > cd_offset
        or (flags, method) != (entry.flags, entry.method)
        or data[name_at : name_at + name_length] != entry.raw_name
        # With a data descriptor the local header may leave CRC and sizes at zero.
        or (
            (crc, compressed, size) != declared
            and not (flags & _FLAG_DESCRIPTOR and crc == compressed == size == 0)
        )
    ):
        raise disagrees
    _check_extras(data[name_at + name_length : start])
    if flags & _FLAG_DESCRIPTOR:
        if data[end : end + 4] == _DESCRIPTOR_SIG.to_bytes(4, "little"):
            end += 4  # the descriptor's signature is optional
        if end + _DESCRIPTOR.size > cd_offset or _DESCRIPTOR.unpack_from(data, end) != declared:
            raise _Refusal(
                _("the data descriptor of {name} disagrees with the central directory").format(
                    name=_shown(entry.name)
                )
            )
        end += _DESCRIPTOR.size
    return start, end


def _check_tiling(spans: list[tuple[int, int]], cd_offset: int) -> None:
    """The entries must cover the bytes before the central directory exactly once.

    This refuses overlapping entries (the CVE-2024-0450 class of "quoted overlap" bombs),
    several central entries sharing one local header, and bytes hidden between entries or
    prepended to the archive.
    """
    expected = 0
    for offset, end in sorted(spans):
        if offset < expected:
            raise _Refusal(_("entries overlap"))
        if offset > expected:
            raise _Refusal(_("bytes that belong to no entry"))
        expected = end
    if expected != cd_offset:
        raise _Refusal(_("bytes that belong to no entry"))


def _inflate(data: memoryview, entry: _Entry) -> bytes:
    shown = _shown(entry.name)
    if entry.method == _STORED:
        content = bytes(data)
    else:
        inflater = zlib.decompressobj(-15)
        try:
            # Never more than the declared size + 1 byte comes out, whatever the headers say.
            content = inflater.decompress(data, entry.size + 1)
        except zlib.error:
            raise _Refusal(
                _("the entry {name} is not valid deflate data").format(name=shown)
            ) from None
        if len(content) != entry.size or not inflater.eof or inflater.unused_data:
            raise _Refusal(
                _("the entry {name} does not inflate to its declared size").format(name=shown)
            )
    if zlib.crc32(content) != entry.crc:
        raise _Refusal(_("the entry {name} fails its CRC-32 check").format(name=shown))
    return content


def read_zip(
    data: bytes,
    *,
    allowed: Callable[[str], bool],
    what: str,
    max_entries: int = limits.MAX_ZIP_ENTRIES,
    max_entry: int = limits.MAX_ZIP_ENTRY,
    max_total: int = limits.MAX_ZIP_TOTAL,
    max_ratio: int = limits.MAX_ZIP_RATIO,
    canonical: bool = False,
) -> dict[str, bytes]:
    """The files in the ZIP archive ``data``, ``{name: content}`` in central-directory order.

    With ``canonical`` the archive must also be laid out exactly as :func:`write_zip` lays
    it out (fixed dates, modes, versions, no extras or comments, no data descriptors), for
    files only KISI writes: then no byte of the file is outside what its reader checks,
    and a changed timestamp is refused rather than ignored.

    ``allowed`` decides which names may appear (it sees only names that already passed the
    sanity checks); ``what`` names the archive in messages. Every header is checked before
    anything is inflated, and inflating stops one byte past the declared size. Raises
    :class:`Rejected`: ``OVERSIZED`` for the limits (entry count, sizes, ratio, name
    length), ``MALFORMED`` for everything else.
    """
    try:
        return _read(data, allowed, (max_entries, max_entry, max_total, max_ratio), canonical)
    except _Refusal as refusal:
        raise Rejected(
            refusal.code, _("{what}: {problem}.").format(what=what, problem=refusal.problem)
        ) from None


def _read(
    data: bytes,
    allowed: Callable[[str], bool],
    limits_: tuple[int, int, int, int],
    canonical: bool = False,
) -> dict[str, bytes]:
    max_entries, max_entry, max_total, max_ratio = limits_
    count, cd_offset, cd_size = _end_record(data, max_entries)
    entries: list[_Entry] = []
    folded_names: set[str] = set()
    total = 0
    position = cd_offset
    for _index in range(count):
        entry, external, position = _central_entry(data, position, cd_offset + cd_size)
        _check_file(entry, external)
        folded = _folded(entry.name)
        if folded in folded_names:
            raise _Refusal(
                _("the name {name} appears twice (ignoring case)").format(name=_shown(entry.name))
            )
        folded_names.add(folded)
        if not allowed(entry.name):
            raise _Refusal(_("unexpected entry {name}").format(name=_shown(entry.name)))
        _check_sizes(entry, max_entry, max_ratio)
        total += entry.size
        if total > max_total:
            raise _Refusal(
                _("the entries are larger than {limit} bytes together").format(limit=max_total),
                OVERSIZED,
            )
        entries.append(entry)
    if position != cd_offset + cd_size:
        raise _Refusal(_("the central directory has unexplained bytes"))
    spans = [_local_span(data, entry, cd_offset) for entry in entries]
    _check_tiling(
        [(entry.offset, end) for entry, (_start, end) in zip(entries, spans, strict=True)],
        cd_offset,
    )
    view = memoryview(data)
    if canonical:
        rebuilt = _layout(
            [
                (e.raw_name, e.method, e.crc, view[start : start + e.compressed], e.size)
                for e, (start, _end) in zip(entries, spans, strict=True)
            ]
        )
        if rebuilt != data:
            raise _Refusal(_("the archive is not laid out as KISI writes it"))
    return {
        entry.name: _inflate(view[start : start + entry.compressed], entry)
        for entry, (start, _end) in zip(entries, spans, strict=True)
    }
