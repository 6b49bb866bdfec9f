"""The ministry's signed answer to each bundle file, and the copy it keeps of that answer.

Every file gets a receipt, a refusal too, so the answer can travel back to the municipality
on the same USB stick (or as the upload's response); a file too broken to say whose it is
gets one without bundle fields. The receipts of bundles that entered the intake chain for
good (imported, quarantined as a fork, dropped by the operator) are kept, so a copy of the
bundle sent again gets the same receipt rather than a second one, and a device's new epoch
can start from a receipt this ministry issued (``verdict.py``). The receipt format itself
is ``bundles/receipts.py``.
"""

from __future__ import annotations

from kisi_desktop.bundles.manifest import Manifest, sha256_hex
from kisi_desktop.bundles.receipts import Receipt, write_receipt
from kisi_desktop.ministry.keys import Ministry
from kisi_desktop.ministry.store import IntakeStore


def sign_receipt(
    ministry: Ministry,
    m: Manifest | None,
    manifest_sha256: str | None,
    *,
    status: str,
    reason_code: str | None,
    message: str,
    at: str,
    records: int = 0,
    chain: tuple[int, str] | None = None,
) -> bytes:
    """A signed receipt; ``chain`` is the entry it reports, else the current head."""
    intake_seq, head = chain if chain is not None else ministry.store.chain_head()
    receipt = Receipt(
        manifest_sha256=manifest_sha256,
        ags=m.municipality_ags if m else None,
        device_id=m.device_id if m else None,
        epoch=m.device_epoch if m else 0,
        seq=m.seq if m else 0,
        status=status,
        reason_code=reason_code,
        imported_at=at,
        intake_seq=intake_seq,
        intake_chain_head=head,
        records=records,
        message=message[:1000],
    )
    return write_receipt(receipt, ministry.receipt.private, ministry.receipt.key_id)


def keep_receipt(
    store: IntakeStore,
    m: Manifest,
    manifest_sha256: str,
    status: str,
    seq: int,
    data: bytes,
    at: str,
) -> None:
    """Keep a receipt (inside the transaction): a later copy of its bundle gets it again."""
    store.conn.execute(
        "INSERT INTO receipts (manifest_sha256, intake_seq, status, receipt, receipt_sha256, ags, "
        "device_id, epoch, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            manifest_sha256,
            seq,
            status,
            data,
            sha256_hex(data),
            m.municipality_ags,
            m.device_id,
            m.device_epoch,
            at,
        ),
    )


def stored_receipt(ministry: Ministry, manifest_sha256: str) -> bytes | None:
    """The receipt kept for a manifest, if one was."""
    row = ministry.store.one(
        "SELECT receipt FROM receipts WHERE manifest_sha256 = ?", (manifest_sha256,)
    )
    return None if row is None else bytes(row["receipt"])
