"""Error types that say who is to blame.

A :class:`UserError` is something the guide can act on (wrong passphrase, a tampered
file, an invalid field); the CLI prints its message on one line and the GUI shows it in
a dialog. Anything else that escapes is a bug.
"""

from __future__ import annotations


class KisiError(Exception):
    """Root of every error raised on purpose by KISI Desktop."""


class UserError(KisiError):
    """An error the user can understand and fix; its message is already translated."""


class WrongSecret(UserError):
    """The passphrase or recovery code does not open this vault."""


class WeakPassphrase(UserError):
    """The new passphrase does not meet the minimum length."""


class VaultNotFound(UserError):
    """No vault exists at the given path."""


class VaultExists(UserError):
    """A vault already exists where a new one was to be created."""


class VaultCorrupt(UserError):
    """The vault file is damaged or was changed outside the app."""


class VaultInUse(UserError):
    """Another process (or another workspace of this one) has the vault open."""


class VaultLocked(UserError):
    """An operation needed the unlocked vault, but it is locked."""


class SealBroken(KisiError):
    """A sealed value failed to open.

    Always the same opaque error, whatever went wrong (wrong key, moved blob, flipped bit),
    so that no caller can learn more than "this does not open".
    """


class RecordNotFound(UserError):
    """No record with that id exists (or it has been erased)."""


class ValidationError(UserError):
    """A field value was refused; ``field`` names it so a form can show the message beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class StillNeeded(UserError):
    """A record cannot go because others depend on it (a volunteer's paid deployments are
    evidence for the budget); the message says what to do instead."""


class VaultWriteFailed(UserError):
    """The vault file refused a write (disk full, read-only, locked by another program).

    The transaction was rolled back: nothing of the action is stored, and the vault is
    as it was, so the guide can free space and save the same input again.
    """


class DriveRefused(UserError):
    """The drive holding a file refused to read or write it (full, read-only, removed).

    Not :class:`VaultCorrupt`: SQLite reports these with the same exception class as a
    damaged file, and a guide told that her vault is damaged when only the disk is full
    would restore an old backup instead of freeing some space.
    """
