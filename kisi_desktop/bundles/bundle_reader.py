"""Open a bundle as the ministry must: every check before any content is believed.

Steps 1-6 and 8 of the verification order in SECURITY.md, each with its limit and reason
code: file size; age decryption with a plaintext cap; the ZIP read from memory with the
hostile-ZIP reader; the manifest signature against the key registered for the AGS the
signature's trusted comment names; the strict manifest; recipient binding; each data
file's size, hash and lines. Replay and ordering (7), plausibility (9) and storing (10)
need the intake database and live in ``ministry/verdict.py`` and ``ministry/intake.py``.
This module writes nothing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kisi_desktop.core.i18n import _

from kisi_desktop.bundles import strict_json
from kisi_desktop.bundles.limits import (
    MAX_BUNDLE_FILE,
    MAX_MANIFEST,
    MAX_PLAINTEXT,
    MAX_SIGNATURE,
)
from kisi_desktop.bundles.manifest import (
    COMMENT_PREFIX,
    MANIFEST,
    MEMBERS,
    SIGNATURE,
    Manifest,
    parse_manifest,
    sha256_hex,
)
from kisi_desktop.bundles.minisign import PublicKey
from kisi_desktop.bundles.profiles import profile
from kisi_desktop.bundles.reasons import (
    BAD_SIGNATURE,
    MALFORMED,
    OVERSIZED,
    TAMPERED,
    WRONG_RECIPIENT,
    Rejected,
    reworded,
)
from kisi_desktop.bundles.safe_zip import read_zip

_COMMENT = re.compile(
    re.escape(COMMENT_PREFIX)
    + r" ags=(\d{8}) dev=([0-9a-f]{16}) epoch=(\d{1,5}) seq=(\d{1,10})"
    + r" manifest-sha256=([0-9a-f]{64})"
)


@dataclass(frozen=True, slots=True)
class OpenedBundle:
    """A bundle whose signature, manifest and data files all checked out."""

    manifest: Manifest
    manifest_bytes: bytes
    manifest_sha256: str
    files: dict[str, list[Any]]
    """Each data file's records (one JSON value per line)."""
    signed_by: str
    """The id (as minisign prints it) of the registered key the signature verified with.
    Not yet compared with the manifest's ``signer_key_id`` or with the key the device
    signed with before: that needs the intake's records (``ministry/signers.py``)."""


def open_bundle(
    data: bytes,
    *,
    identity: str,
    own_recipient: str,
    key_for: Callable[[str], PublicKey | Sequence[PublicKey]],
    profile_for: Callable[[str], str] = lambda ags: "p1",
    max_file: int = MAX_BUNDLE_FILE,
) -> OpenedBundle:
    """Decrypt and verify one bundle file, or raise :class:`Rejected` at the first fault.

    Args:
        data: the ``.kisi`` file's bytes (the caller checks the size on disk before
            reading; it is checked again here).
        identity: the ministry's age identity (``AGE-SECRET-KEY-1...``).
        own_recipient: its recipient, which the manifest must name.
        key_for: the registered signing key(s) for an AGS - one per device of the
            municipality; the signature's key id picks one. Raises :class:`Rejected`
            (``unknown_municipality``, ``revoked_key``) when there is none.
        profile_for: the profile the registry fixes for an AGS (no negotiation).
    """
    if len(data) > max_file:
        raise Rejected(OVERSIZED, _("The bundle file is larger than allowed."))
    # The profile is the registry's, not the file's: the file cannot choose a weaker one.
    # Before decryption the AGS is unknown, and today every municipality uses p1.
    crypto = profile("p1")
    try:
        plaintext = crypto.decrypt(data, identity, limit=MAX_PLAINTEXT)
        members = read_zip(
            plaintext, allowed=lambda name: name in MEMBERS, what=_("bundle"), canonical=True
        )
    except Rejected as error:
        raise _unreadable(error) from None
    if MANIFEST not in members or SIGNATURE not in members:
        raise Rejected(MALFORMED, _("The bundle has no signed manifest."))
    manifest_bytes, signature = members[MANIFEST], members[SIGNATURE]
    if len(manifest_bytes) > MAX_MANIFEST:
        raise Rejected(OVERSIZED, _("The bundle manifest is larger than allowed."))
    if len(signature) > MAX_SIGNATURE:
        raise Rejected(OVERSIZED, _("The manifest signature is larger than allowed."))
    # Whose key to check against comes from the signed comment; it is believed only after
    # the signature by that AGS's registered key holds.
    comment = _claimed_comment(signature)
    match = _COMMENT.fullmatch(comment)
    if match is None:
        raise Rejected(MALFORMED, _("The signature's trusted comment is not a KISI bundle's."))
    ags = match.group(1)
    crypto = profile(profile_for(ags))
    key = _key(key_for(ags), signature, ags)
    trusted = crypto.verify(manifest_bytes, signature, key)
    if trusted != comment:
        raise Rejected(BAD_SIGNATURE, _("The trusted comment was changed after signing."))
    digest = sha256_hex(manifest_bytes)
    if match.group(5) != digest:
        raise Rejected(TAMPERED, _("The signed comment names another manifest."))
    manifest = parse_manifest(manifest_bytes)
    if (
        manifest.municipality_ags != ags
        or manifest.device_id != match.group(2)
        or str(manifest.device_epoch) != match.group(3)
        or str(manifest.seq) != match.group(4)
    ):
        raise Rejected(TAMPERED, _("The signed comment and the manifest disagree."))
    if crypto.recipient_hash(own_recipient) not in manifest.recipients:
        raise Rejected(
            WRONG_RECIPIENT, _("The manifest does not name this ministry as a recipient.")
        )
    listed = {f.name for f in manifest.files}
    extra = set(members) - {MANIFEST, SIGNATURE} - listed
    if extra:
        raise Rejected(TAMPERED, _("The bundle holds a file its manifest does not list."))
    files: dict[str, list[Any]] = {}
    for entry in manifest.files:
        content = members.get(entry.name)
        if content is None:
            raise Rejected(TAMPERED, _("A file the manifest lists is missing."))
        if len(content) != entry.size or sha256_hex(content) != entry.sha256:
            raise Rejected(
                TAMPERED, _("{name} does not match the manifest.").format(name=entry.name)
            )
        records = strict_json.loads_lines(content, what=entry.name)
        if len(records) != entry.records:
            raise Rejected(
                TAMPERED,
                _("{name} has another number of records than the manifest says.").format(
                    name=entry.name
                ),
            )
        if not all(isinstance(r, dict) for r in records):
            raise Rejected(
                MALFORMED, _("{name}: every line must be an object.").format(name=entry.name)
            )
        files[entry.name] = records
    return OpenedBundle(manifest, manifest_bytes, digest, files, key.key_id_hex())


def _unreadable(error: Rejected) -> Rejected:
    """A bundle that could not be decrypted or unpacked, in the ministry clerk's words.

    The receipt carries this message back to the municipality, so it says what the guide
    can do there: copy the file again, or write it again. A file that no stanza opens is
    either meant for another office or damaged in its header; which one cannot be told.
    """
    if error.code == WRONG_RECIPIENT:
        message = _(
            "This bundle cannot be opened with this ministry's key: it was written for "
            "another office, or it is damaged. The municipality should check that it "
            "imported this ministry's provisioning file, then write the bundle again "
            "(“Write again…” on the Sync page) and send the new file."
        )
    elif error.code == TAMPERED:
        message = _(
            "The bundle is damaged or incomplete, for example because it was copied off the "
            "USB stick too early. The municipality should copy it again, or write it again "
            "(“Write again…” on the Sync page), and send the new file."
        )
    else:
        message = _(
            "This file is not a KISI bundle, or it is damaged. The municipality should write "
            "the bundle again (“Write again…” on the Sync page) and send the new file."
        )
    return reworded(error, message)


def _key(registered: PublicKey | Sequence[PublicKey], signature: bytes, ags: str) -> PublicKey:
    """Of the municipality's registered keys, the one the signature says it was made with."""
    keys = [registered] if isinstance(registered, PublicKey) else list(registered)
    if len(keys) == 1:
        return keys[0]  # a wrong key id is then reported by the signature check itself
    try:
        line = signature.decode("ascii").split("\n")[1]
        key_id = base64.b64decode(line, validate=True)[2:10]
    except (UnicodeDecodeError, IndexError, ValueError):
        raise Rejected(
            MALFORMED, _("The manifest signature is not a minisign signature.")
        ) from None
    found = next((k for k in keys if k.key_id == key_id), None)
    if found is None:
        raise Rejected(
            BAD_SIGNATURE,
            _("The bundle is signed with a key that is not registered for {ags}.").format(ags=ags),
        )
    return found


def _claimed_comment(signature: bytes) -> str:
    """The trusted comment line of a minisign file, not yet believed."""
    try:
        lines = signature.decode("utf-8").rstrip("\n").split("\n")
    except UnicodeDecodeError:
        raise Rejected(MALFORMED, _("The manifest signature is not text.")) from None
    prefix = "trusted comment: "
    if len(lines) != 4 or not lines[2].startswith(prefix):
        raise Rejected(MALFORMED, _("The manifest signature is not a minisign signature."))
    return lines[2][len(prefix) :]
