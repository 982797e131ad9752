"""Errors the sync layer shows to people: one plain sentence each, never record content.

They are :class:`tipintake.errors.UserError` subclasses, so the command line prints
them on one line and the share screen shows them in a message, without a traceback.
"""

from __future__ import annotations

from tipintake.errors import UserError


class SyncError(UserError):
    """Something stopped a transfer to a partner; ``str()`` says what, in plain words."""

    exit_code = 1


class NothingToSend(SyncError):
    """There is no batch waiting for this partner."""

    exit_code = 0


class HubUnreachable(SyncError):
    """The hub could not be reached (no network, server down, or timed out)."""


class HubRefused(SyncError):
    """The hub answered but refused a batch; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class InsecureConnection(SyncError):
    """The hub's address or certificate does not meet the agreement (no plain http, wrong pin)."""

    exit_code = 2


class DamagedBatch(SyncError):
    """A batch in the outbox no longer matches its own signed manifest (disk fault or tampering)."""


class UsbWriteFailed(SyncError):
    """Writing or checking a batch on removable media failed."""


class NoHubKey(SyncError):
    """No hub receipt key is known for a partner, so receipts cannot be checked."""

    exit_code = 2
