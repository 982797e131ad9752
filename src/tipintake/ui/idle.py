"""Idle auto-lock: no key press or mouse use for N minutes locks the app.

An application-wide event filter sees every input event before any widget does; a
single-shot timer restarts on each. On a shared laptop a walk away from the desk
should never leave a survivor's record on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from tipintake.ui.qt import QApplication, QEvent, QInputEvent, QInputMethodEvent, QObject, QTimer

#: The delays offered in the settings (minutes; 0 = never).
CHOICES = (1, 2, 5, 10, 15, 30, 0)


class IdleLock(QObject):
    """Calls ``on_idle`` once after ``minutes`` without input (0 switches it off)."""

    def __init__(self, app: QApplication, on_idle: Callable[[], None], minutes: int = 5) -> None:
        super().__init__(app)
        self.app = app
        self.on_idle = on_idle
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        app.installEventFilter(self)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        """Change the delay; restarts the count."""
        self.minutes = max(0, int(minutes))
        self.set_interval_ms(self.minutes * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        """Delay in milliseconds (tests use short ones); 0 switches the lock off."""
        self.interval_ms = ms
        self.timer.stop()
        if ms > 0:
            self.timer.start(ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Any input restarts the count; the event goes on unchanged."""
        # isinstance is cheap; event.type() builds an enum object for each of the thousands
        # of events a window's construction sends through this filter.
        if self.interval_ms > 0 and isinstance(event, QInputEvent | QInputMethodEvent):
            self.timer.start(self.interval_ms)
        return False

    def stop(self) -> None:
        """Stop watching (on lock)."""
        self.timer.stop()
        self.app.removeEventFilter(self)
        self.deleteLater()

    def _fire(self) -> None:
        self.stop()
        self.on_idle()
