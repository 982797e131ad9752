"""Operations: service calls run off the GUI thread, reporting back by signals.

A view never holds a database connection or a key: it asks for an operation
(``run(fn, on_done=..., on_error=...)``) and is told the result. Key derivation
(Argon2id, ~0.1–0.3 s), saving and searching over 100,000 cases run in the thread
pool so that the window keeps painting. Errors reach ``on_error`` as the exception;
views show ``user_message(exc)``, one sentence in the user's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from tipintake.errors import TooManyAttempts, UserError, WrongPassphrase
from tipintake.i18n import _, ngettext
from tipintake.ui.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    """Signals of one operation (a QRunnable cannot carry signals itself)."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class Operation(QRunnable):
    """One call of ``fn`` in the thread pool; ``fn`` may take a ``progress(done, total)`` keyword."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept alive by _running until the signals have been delivered
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self.signals = _Signals()

    def run(self) -> None:
        """Runs in a pool thread."""
        try:
            if self.with_progress:
                self.kwargs["progress"] = self.signals.progress.emit
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the view
            if not isinstance(exc, UserError):
                # Type only: a message could quote an answer.
                log.error("operation failed: %s", type(exc).__name__)
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


_running: set[Operation] = set()


def run(fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None, pool_priority: int = 0,
        **kwargs: Any) -> Operation:
    """Run ``fn(*args, **kwargs)`` off the GUI thread; callbacks run on the GUI thread.

    ``pool_priority`` below 0 lets work a person asked for meanwhile start first when
    every pool thread is busy (work done ahead of need, such as warming the reports).
    """
    op = Operation(fn, *args, with_progress=on_progress is not None, **kwargs)
    _running.add(op)

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _running.discard(op)
        if callback is None:
            return
        try:
            callback(value)
        except RuntimeError as exc:
            # The view that asked was destroyed meanwhile (the app was locked): nobody to tell.
            if "already deleted" not in str(exc):
                raise

    op.signals.done.connect(lambda result: finish(on_done, result))
    op.signals.failed.connect(lambda exc: finish(on_error, exc))
    if on_progress is not None:
        op.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(op, pool_priority)
    return op


def busy() -> bool:
    """True while an operation has not reported back (tests wait on this)."""
    return bool(_running)


def wait_all(timeout_ms: int = 10000) -> bool:
    """Block until the pool is idle (shutdown and tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def user_message(exc: BaseException) -> str:
    """One sentence in the interface language for a failed operation."""
    if isinstance(exc, TooManyAttempts):
        return ngettext(
            "Too many wrong passphrases: wait {seconds} second before trying again.",
            "Too many wrong passphrases: wait {seconds} seconds before trying again.",
            exc.seconds,
        ).format(seconds=exc.seconds)
    if isinstance(exc, WrongPassphrase):
        return _("The user name or passphrase is not right.")
    if isinstance(exc, UserError):
        # Services word their errors for people; the catalogs may carry them too.
        return _(str(exc))
    return _("Something went wrong and the action was not completed. Nothing was lost; "
             "try again, and tell your administrator if it happens again.")
