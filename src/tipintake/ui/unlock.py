"""The unlock screen: pick your name, type your passphrase.

Wrong passphrases are answered with one calm sentence; after a few, the store's
back-off makes the next try wait, shown here as a countdown with the button
disabled. Key derivation runs off the GUI thread. Nothing is shown about the records
until a session exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tipintake.errors import TooManyAttempts
from tipintake.i18n import LANGUAGES, _, current_language, ngettext
from tipintake.ui import operations
from tipintake.ui.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tipintake.ui.translator import LANGUAGE_NAMES, Retranslatable
from tipintake.ui.widgets import ERROR_COLOUR, set_text_colour

if TYPE_CHECKING:
    from tipintake.ui.app import AppController


class UnlockWindow(Retranslatable, QWidget):
    """User list, passphrase box, message line; ``unlocked`` carries the session."""

    unlocked = Signal(object)

    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("unlock_window")
        self.wait_left = 0
        self.prefix = ""
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)
        self.users = QListWidget()
        self.users.setObjectName("users")
        self.users.addItems(controller.user_names())
        if self.users.count():
            self.users.setCurrentRow(0)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.button = QPushButton()
        self.button.setObjectName("unlock")
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        self.recover_button = QPushButton()
        self.recover_button.setObjectName("use_recovery_key")
        self.recover_button.setFlat(True)
        self.recover_button.clicked.connect(self.open_recovery)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        set_text_colour(self.message, ERROR_COLOUR)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(current_language()))
        self.language.currentIndexChanged.connect(
            lambda: controller.switch_language(self.language.currentData(), remember_for_user=False))
        self.users_label, self.pass_label, self.language_label = QLabel(), QLabel(), QLabel()
        self.users_label.setBuddy(self.users)
        self.pass_label.setBuddy(self.passphrase)
        self.language_label.setBuddy(self.language)

        form = QFormLayout()
        form.addRow(self.users_label, self.users)
        form.addRow(self.pass_label, self.passphrase)
        row = QHBoxLayout()
        row.addWidget(self.language_label)
        row.addWidget(self.language)
        row.addStretch()
        row.addWidget(self.button)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addLayout(row)
        box.addWidget(self.recover_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        self.resize(520, 420)
        self.retranslate_ui()
        self.passphrase.setFocus()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setWindowTitle(_("tipintake: locked"))
        self.heading.setText(_("The records are locked."))
        self.users_label.setText(_("&Who are you?"))
        self.pass_label.setText(_("&Passphrase:"))
        self.language_label.setText(_("&Language:"))
        self.button.setText(_("&Unlock"))
        self.recover_button.setText(_("Forgot the passphrase? Use the &recovery key…"))
        if self.wait_left:
            self._show_wait()

    def try_unlock(self) -> None:
        """Unlock in the background with the chosen user and the typed passphrase."""
        item = self.users.currentItem()
        if item is None or not self.button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.message.setText(_("Type your passphrase."))
            return
        self.passphrase.clear()
        self.button.setEnabled(False)
        self.message.setText(_("Unlocking…"))
        user = item.text()
        operations.run(lambda: self.controller.store.unlock(user, passphrase),
                       on_done=self._unlocked, on_error=lambda exc: self._failed(exc, user))

    def open_recovery(self) -> QWidget | None:
        """The recovery-key dialog for the selected user (non-modal: the tests drive it)."""
        from tipintake.ui.recovery import RecoveryDialog

        item = self.users.currentItem()
        if item is None:
            return None
        dialog = RecoveryDialog(self, self.controller, item.text())
        dialog.recovered.connect(self._unlocked)
        dialog.open()
        return dialog

    def _unlocked(self, session: object) -> None:
        self.message.clear()
        self.unlocked.emit(session)

    def _failed(self, exc: BaseException, user: str) -> None:
        self.prefix = ""
        if not isinstance(exc, TooManyAttempts):
            self.prefix = operations.user_message(exc)
            try:  # the back-off may start now: show it at once, not on the next try
                self.controller.check_lockout(user)
            except TooManyAttempts as wait:
                exc = wait
        if isinstance(exc, TooManyAttempts):
            self.wait_left = exc.seconds
            self._show_wait()
            self.countdown.start()
            return
        self.button.setEnabled(True)
        self.message.setText(self.prefix)
        self.passphrase.setFocus()

    def _show_wait(self) -> None:
        wait = ngettext(
            "Too many wrong passphrases. You can try again in {seconds} second.",
            "Too many wrong passphrases. You can try again in {seconds} seconds.",
            self.wait_left).format(seconds=self.wait_left)
        self.message.setText(f"{self.prefix}\n{wait}" if self.prefix else wait)

    def _tick(self) -> None:
        self.wait_left -= 1
        if self.wait_left <= 0:
            self.wait_left = 0
            self.countdown.stop()
            self.button.setEnabled(True)
            self.message.setText(_("You can try again now."))
            self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._show_wait()
