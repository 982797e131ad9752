"""Forgotten passphrase: open with the recovery key and set a new passphrase for a user.

The recovery key (shown once at set-up) opens the store acting as the chosen user;
the new passphrase replaces that user's key slot at once, so the recovery key is
needed only this one time. Key derivation runs off the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tipintake.i18n import _
from tipintake.ui import operations
from tipintake.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tipintake.ui.translator import Retranslatable
from tipintake.ui.widgets import problem_label
from tipintake.ui.widgets.passphrase import PassphraseFields

if TYPE_CHECKING:
    from tipintake.ui.app import AppController


def recover(controller: AppController, key: str, user: str, passphrase: str) -> Any:
    """Open with the recovery key as ``user`` and give them ``passphrase`` (runs in the pool)."""
    session = controller.store.unlock_with_recovery(key, user)
    try:
        session.users.passwd(user, passphrase)
    except BaseException:
        session.lock()
        raise
    return session


class RecoveryDialog(Retranslatable, QDialog):
    """Recovery key, new passphrase twice; ``recovered`` carries the session."""

    recovered = Signal(object)

    def __init__(self, parent: QWidget, controller: AppController, user: str) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_dialog")
        self.controller = controller
        self.user = user
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setObjectName("recovery_key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_label = QLabel()
        self.key_label.setBuddy(self.key)
        self.passphrase = PassphraseFields()
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_recover)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.key_label, self.key)
        col = QVBoxLayout(self)
        col.addWidget(self.intro)
        col.addLayout(form)
        col.addWidget(self.passphrase)
        col.addWidget(self.problem)
        col.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setWindowTitle(_("Use the recovery key"))
        self.intro.setText(_("Type the recovery key written down at set-up and choose a new "
                             "passphrase for {user}.").format(user=self.user))
        self.key_label.setText(_("Recovery &key:"))

    def try_recover(self) -> None:
        """Check the fields, then open the store in the background."""
        problem = self.passphrase.problem() or ("" if self.key.text().strip() else _("Type the recovery key."))
        if problem:
            self.problem.setText(problem)
            return
        self.buttons.setEnabled(False)
        self.problem.setText(_("Unlocking…"))
        key, passphrase = self.key.text(), self.passphrase.passphrase()
        self.key.clear()
        self.passphrase.clear()
        operations.run(recover, self.controller, key, self.user, passphrase,
                       on_done=self._done, on_error=self._failed)

    def _done(self, session: object) -> None:
        self.accept()
        self.recovered.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(operations.user_message(exc))
