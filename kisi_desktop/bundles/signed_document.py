"""A signed document file: a ZIP of one canonical JSON document and its minisign signature.

Provisioning files and receipts have this shape (``provisioning.json`` with
``provisioning.json.minisig``, ``receipt.json`` with ``receipt.json.minisig``), so writing
and opening them is done once, here, with the same limits and in the same order: the
file's size before anything is read, the ZIP's structure (``safe_zip``), exactly the two
members, the signature's size; and, once the signature holds, that its one unsigned line
is the one KISI writes (:meth:`SignedFormat.check_written`). What the document says, which
key must have signed it and in which order that is checked stays with each format.
Problems are worded per format (msgids kept by :class:`SignedFormat`), so a guide reads
"the receipt", not "the file".
"""

from __future__ import annotations

from dataclasses import dataclass

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles import minisign, safe_zip
from kisi_desktop.bundles.limits import MAX_SIGNATURE
from kisi_desktop.bundles.reasons import MALFORMED, OVERSIZED, TAMPERED, Rejected, reworded


@dataclass(frozen=True, slots=True)
class SignedFormat:
    """One kind of signed document file: its member name, its limit, its words for problems.

    The texts are msgids, translated when a problem is raised (in the UI language then).
    """

    document: str
    """The document's name in the ZIP; the signature is this name with ``.minisig``."""
    max_file: int
    """The most bytes the whole file, and the document in it, may have."""
    what: str
    """What the file is called in the ZIP reader's messages, e.g. "receipt"."""
    too_large: str
    signature_too_large: str
    malformed: str
    """The "malformed" message with a ``{what}`` placeholder."""
    incomplete: str
    """What the malformed message says when the ZIP is not exactly the two members."""
    unsigned_changed: str
    """The ``tampered`` message for a signature file changed where it is not signed."""
    unreadable: str
    """What the person is told when the file is no such ZIP (or a damaged one): in plain
    words, with what to do; the ZIP reader's account of it goes to the log."""

    @property
    def signature(self) -> str:
        """The signature's name in the ZIP."""
        return f"{self.document}.minisig"

    def write(self, body: bytes, signature: str) -> bytes:
        """The file: ``body`` and its minisign ``signature`` in a deterministic ZIP."""
        return safe_zip.write_zip(
            [(self.document, body), (self.signature, signature.encode("ascii"))]
        )

    def check_written(self, signature: bytes) -> None:
        """Refuse a verified signature whose unsigned bytes are not what :meth:`write` wrote.

        Call it after the signature verified (a forged one is ``bad_signature``, not this).
        The untrusted comment is outside what minisign signs; unchecked, it could be changed
        on the way and the file would still be accepted, under another SHA-256 than the
        one its signer knows it by (a receipt's hash is what ``epoch_start`` names).

        Raises:
            Rejected: TAMPERED.
        """
        if not minisign.written_by_sign(signature):
            raise Rejected(TAMPERED, _(self.unsigned_changed))

    def read(self, data: bytes) -> tuple[bytes, bytes]:
        """The document's bytes and its signature's, neither of them checked yet.

        Raises:
            Rejected: OVERSIZED for a file or signature over the limits, MALFORMED for a
                ZIP that is not exactly the document and its signature (and whatever
                ``safe_zip`` refuses).
        """
        if len(data) > self.max_file:
            raise Rejected(OVERSIZED, _(self.too_large))
        try:
            members = safe_zip.read_zip(
                data,
                canonical=True,
                allowed=lambda name: name in (self.document, self.signature),
                what=_(self.what),
                max_entries=2,
                max_entry=self.max_file,
                max_total=2 * self.max_file,
            )
            if set(members) != {self.document, self.signature}:
                raise Rejected(MALFORMED, _(self.malformed).format(what=_(self.incomplete)))
        except Rejected as error:
            raise reworded(error, _(self.unreadable)) from None
        signature = members[self.signature]
        if len(signature) > MAX_SIGNATURE:
            raise Rejected(OVERSIZED, _(self.signature_too_large))
        return members[self.document], signature
