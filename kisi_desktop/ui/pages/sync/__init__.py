"""The Sync page: bundles for the ministry, receipts and content packs coming back.

Modules: sync_period (since the last bundle, project year, quarter, any range),
preview_panel (what the next bundle carries), bundle_writer (export and write again: the
vault on the UI thread, encryption and the file on a worker), provisioning_box (the
ministry's keys: status and import, also in the settings dialog) with fingerprint_dialog,
content_pack_box (handout texts from the ministry), device_box (this device's public
signing key for the ministry to register), ledger_rows (the ledger table),
receipt_import (receipts and each file's result), uploader (upload when online, the network
on a worker), warning_banner (what is overdue or missing), messages (message boxes, outside files),
sync_page (the Page that wires them).
"""

from kisi_desktop.ui.pages.sync.sync_page import SyncPage

__all__ = ["SyncPage"]
