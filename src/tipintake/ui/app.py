"""The desktop app's entry and its life cycle: set-up or unlock → main window → lock.

``run_app(data_dir)`` builds the QApplication, registers the bundled fonts, installs
the gettext-backed translator and hands over to :class:`AppController`, which owns
the one signed-in :class:`~tipintake.store.session.Session`. Locking (button, Ctrl+L
or idle) destroys the main window with every widget and model holding decrypted
data, wipes the key, clears the clipboard and shows the unlock screen again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tipintake.i18n import LANGUAGES, current_language
from tipintake.ui.qt import QApplication, QGuiApplication, QObject, QTimer, QWidget, Signal
from tipintake.ui.translator import LanguageSwitcher

if TYPE_CHECKING:
    from tipintake.store.session import Session, Store

LANGUAGE_FILE = "interface-language"  # the unlock screen's language: a code, nothing personal
DB_FILE = "tipintake.db"  # store.engine.DB_FILE, named here so start-up needs no database code


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with the bundled fonts registered."""
    from tipintake.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("tipintake")
    app.setOrganizationName("tipintake")
    register_fonts()
    return app  # type: ignore[return-value]


class AppController(QObject):
    """Which top-level window is showing, and the session while unlocked."""

    locked = Signal()
    signed_in = Signal()

    def __init__(self, app: QApplication, data_dir: Path) -> None:
        super().__init__()
        self.app = app
        self.data_dir = Path(data_dir)
        self._store: Store | None = None
        self.switcher = LanguageSwitcher(app)
        self.session: Session | None = None
        self.window: QWidget | None = None
        self.idle = None
        self.switcher.switch(self.saved_language())

    # -- the store -------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The locked store (its database code is imported on first use, not at start-up)."""
        if self._store is None:
            from tipintake.store.session import Store

            self._store = Store(self.data_dir)
        return self._store

    def store_exists(self) -> bool:
        """Whether set-up has been done here (cheap: key file and database file present)."""
        from tipintake.store.keyslots import SlotFile

        return SlotFile(self.data_dir).exists() and (self.data_dir / DB_FILE).exists()

    def user_names(self) -> list[str]:
        """Who can unlock, for the unlock screen."""
        from tipintake.store.keyslots import SlotFile

        return SlotFile(self.data_dir).user_names()

    def check_lockout(self, user: str) -> None:
        """Raise TooManyAttempts while ``user`` must wait."""
        from tipintake.store.lockout import Lockout

        Lockout(self.data_dir).check(user)

    # -- language --------------------------------------------------------------
    def saved_language(self) -> str:
        """The interface language last used on this laptop (English the first time)."""
        try:
            code = (self.data_dir / LANGUAGE_FILE).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return "en"
        return code if code in LANGUAGES else "en"

    def switch_language(self, language: str, *, remember_for_user: bool = True) -> None:
        """Change the interface language now; remember it for this user and this laptop."""
        self.switcher.switch(language)
        self._remember_language()
        if remember_for_user and self.session is not None:
            self.session.users.set_language(current_language())

    def _remember_language(self) -> None:
        """The unlock screen of the next start speaks the language last used here."""
        try:
            if self.data_dir.is_dir():
                (self.data_dir / LANGUAGE_FILE).write_text(current_language(), "ascii")
        except OSError:
            pass  # a preference: never worth failing over

    # -- windows ---------------------------------------------------------------
    def start(self) -> QWidget:
        """Show the set-up wizard on first run, else the unlock screen."""
        return self.show_unlock() if self.store_exists() else self.show_setup()

    def _replace(self, window: QWidget) -> QWidget:
        old, self.window = self.window, window
        window.show()
        if old is not None:
            old.close()
            old.deleteLater()
        return window

    def show_setup(self) -> QWidget:
        """The first-run wizard."""
        from tipintake.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(self)
        wizard.finished_setup.connect(self.open_session)
        return self._replace(wizard)

    def show_unlock(self) -> QWidget:
        """The unlock screen with the user list."""
        from tipintake.ui.unlock import UnlockWindow

        window = UnlockWindow(self)
        window.unlocked.connect(self.open_session)
        shown = self._replace(window)
        from tipintake.ui import warmup

        # While the passphrase is typed; after the first paint, so it never delays the window.
        QTimer.singleShot(400, warmup.start)
        return shown

    def open_session(self, session: Session) -> QWidget:
        """Signed in: the user's language, the main window, the idle lock."""
        from tipintake.ui.idle import IdleLock
        from tipintake.ui.main_window import MainWindow

        self.session = session
        if session.user.language in LANGUAGES and session.user.language != current_language():
            self.switch_language(session.user.language, remember_for_user=False)
        self._remember_language()
        window = MainWindow(self, session)
        self._replace(window)
        minutes = session.setting("idle_lock_minutes", 5)
        self.idle = IdleLock(self.app, self.lock, minutes=int(minutes or 0))
        self.signed_in.emit()
        return window

    def set_idle_minutes(self, minutes: int) -> None:
        """Change the idle auto-lock delay (0 = never) for this installation."""
        if self.session is not None:
            self.session.set_setting("idle_lock_minutes", int(minutes))
        if self.idle is not None:
            self.idle.set_minutes(int(minutes))

    def lock(self) -> None:
        """Hide every record at once, forget decrypted data and the key, show the unlock screen."""
        if self.session is None:
            return
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        from tipintake.ui.main_window import MainWindow

        # A dialog left open (a question, a form picker) would outlive its window: close it.
        for _attempt in range(10):
            modal = QApplication.activeModalWidget()
            if modal is None:
                break
            modal.close()
        if isinstance(self.window, MainWindow):
            self.window.before_lock()  # saves open drafts, then clears models and widgets
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        session, self.session = self.session, None
        self.show_unlock()
        from tipintake.ui import operations

        operations.wait_all(15000)  # a save under way finishes before the key goes
        session.lock()
        self.locked.emit()

    def quit(self) -> None:
        """Lock and leave."""
        self.lock()
        self.app.quit()


def run_app(data_dir: Path) -> int:
    """Open the desktop app on ``data_dir``; returns the exit status."""
    app = make_app()
    controller = AppController(app, Path(data_dir))
    controller.start()
    app.aboutToQuit.connect(controller.lock)
    return int(app.exec())
