"""Errors a user can cause and read.

Every exception here carries one sentence meant for a person, never identifying
data (no answers, names or keys). The command line prints ``str(error)`` and exits
with status 2; the UI shows it in a message box. Anything else is a failure (exit 1).
"""

from __future__ import annotations

from tipintake.i18n import _


class UserError(Exception):
    """A mistake the user can fix; ``str()`` is one readable sentence."""

    exit_code = 2


class WrongPassphrase(UserError):
    """The user name or passphrase did not open the store."""


class TooManyAttempts(UserError):
    """Unlocking is paused after repeated wrong passphrases."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            _("Too many wrong passphrases: wait {seconds} seconds before trying again.").format(
                seconds=seconds)
        )


class NotInitialised(UserError):
    """No store exists in the data folder yet."""


class PermissionDenied(UserError):
    """The signed-in user's role does not allow the action."""


class NotFound(UserError):
    """A case, user, form or partner named by the user does not exist."""


class FormError(UserError):
    """A form file is invalid; names the file, line and field."""

    def __init__(self, path: str, line: int | None, message: str, field: str | None = None) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        # Whole sentences per case, so that translators can reorder the parts.
        if line is None and not field:
            text = _("{path}: {message}")
        elif line is None:
            text = _("{path}, field '{field}': {message}")
        elif not field:
            text = _("{path} line {line}: {message}")
        else:
            text = _("{path} line {line}, field '{field}': {message}")
        super().__init__(text.format(path=path, line=line, field=field, message=message))


class BatchRejected(UserError):
    """A batch or receipt failed verification; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
