"""The Users page (administrators only): add staff, reset a passphrase, disable an account.

Each action goes through the store's user service; a disabled account can no longer
unlock, and its past work stays in the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tipintake.i18n import LANGUAGES, _, current_language
from tipintake.store.roles import ROLES
from tipintake.store.users import UserInfo
from tipintake.ui import operations
from tipintake.ui.fonts import row_height
from tipintake.ui.main_window import role_label
from tipintake.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.translator import LANGUAGE_NAMES, Retranslatable
from tipintake.ui.widgets import problem_label
from tipintake.ui.widgets.passphrase import PassphraseFields

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


class UserDialog(Retranslatable, QDialog):
    """Add a user (name, role, language, passphrase) or reset a passphrase (``username`` given)."""

    def __init__(self, parent: QWidget, username: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("user_dialog")
        self.reset_for = username
        self.username = QLineEdit(username or "")
        self.username.setObjectName("username")
        self.username.setEnabled(username is None)
        self.role = QComboBox()
        self.role.setObjectName("role")
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(current_language()))
        self.passphrase = PassphraseFields()
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.labels = [QLabel(), QLabel(), QLabel()]
        rows = [(self.labels[0], self.username)]
        if username is None:
            rows += [(self.labels[1], self.role), (self.labels[2], self.language)]
        else:
            self.role.hide()
            self.language.hide()
        self.passphrase.insert_rows(rows)
        col = QVBoxLayout(self)
        col.addWidget(self.passphrase)
        col.addWidget(self.problem)
        col.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setWindowTitle(_("Add a user") if self.reset_for is None else _("New passphrase"))
        for label, text, buddy in zip(self.labels, (_("&User name:"), _("R&ole:"), _("&Language:")),
                                      (self.username, self.role, self.language), strict=True):
            label.setText(text)
            label.setBuddy(buddy)
        keep = self.role.currentData() or "interviewer"
        self.role.clear()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        self.role.setCurrentIndex(ROLES.index(keep))

    def accept(self) -> None:
        """Close only with a usable name and passphrase."""
        problem = self.passphrase.problem()
        if not self.username.text().strip():
            problem = _("Type a user name.")
        if problem:
            self.problem.setText(problem)
            return
        super().accept()


class UsersPage(Retranslatable, QWidget):
    """The staff of this laptop."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.users: list[UserInfo] = []
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("users")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.add_button, self.reset_button, self.disable_button = QPushButton(), QPushButton(), QPushButton()
        self.add_button.setObjectName("add_user")
        self.reset_button.setObjectName("reset_passphrase")
        self.disable_button.setObjectName("disable_user")
        self.add_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_passphrase)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        row = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.disable_button):
            row.addWidget(button)
        row.addStretch()
        col = QVBoxLayout(self)
        col.addWidget(self.table)
        col.addLayout(row)
        self.refresh()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.table.setHorizontalHeaderLabels([_("User name"), _("Role"), _("Language"), _("Account")])
        self.add_button.setText(_("&Add a user…"))
        self.reset_button.setText(_("&Reset passphrase…"))
        self.table.verticalHeader().setDefaultSectionSize(row_height(current_language()))
        self.refresh()

    def refresh(self) -> None:
        """Read the users again."""
        if self.main.locking:
            return  # the store is closing: nothing may be read any more
        self.users = self.main.session.users.list()
        self.table.setRowCount(len(self.users))
        for r, user in enumerate(self.users):
            state = _("Disabled") if user.disabled else _("Active")
            cells = (user.username, role_label(user.role), LANGUAGE_NAMES.get(user.language, user.language), state)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.users and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)
        self._update_buttons()

    def selected(self) -> UserInfo | None:
        """The user under the cursor."""
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def _update_buttons(self) -> None:
        user = self.selected()
        self.reset_button.setEnabled(user is not None)
        mine = user is not None and user.username == self.main.session.user.username
        self.disable_button.setEnabled(user is not None and not mine)
        self.disable_button.setText(_("&Enable") if user is not None and user.disabled else _("&Disable"))

    def add_user(self, dialog: UserDialog | None = None) -> None:
        """Ask for the new user's details and add them."""
        dialog = dialog or UserDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._call(self.main.session.users.add, dialog.username.text().strip(), dialog.passphrase.passphrase(),
                   dialog.role.currentData(), language=dialog.language.currentData())

    def reset_passphrase(self, dialog: UserDialog | None = None) -> None:
        """Give the selected user a new passphrase."""
        user = self.selected()
        if user is None:
            return
        dialog = dialog or UserDialog(self, user.username)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._call(self.main.session.users.passwd, user.username, dialog.passphrase.passphrase())

    def toggle_disabled(self) -> None:
        """Disable (or enable again) the selected user."""
        user = self.selected()
        if user is not None:
            self._call(self.main.session.users.set_disabled, user.username, not user.disabled)

    def _call(self, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Key slots are wrapped with Argon2id: off the GUI thread.
        operations.run(fn, *args, **kwargs, on_done=lambda _r: self.refresh(), on_error=self.main.show_error)

    def before_lock(self) -> None:
        """Forget the list."""
        self.table.setRowCount(0)
        self.users = []
