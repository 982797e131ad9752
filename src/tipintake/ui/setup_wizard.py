"""First run: organisation, language, the admin account, and the recovery key shown once.

The store is created when the admin page is committed (there is no going back:
the key exists from then on). The recovery key is shown on the last page only, in
large type, and Finish stays disabled until the admin ticks that it was written down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tipintake.i18n import LANGUAGES, _, current_language
from tipintake.store.session import Session
from tipintake.ui import operations
from tipintake.ui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFont,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWizard,
    QWizardPage,
    Signal,
)
from tipintake.ui.translator import LANGUAGE_NAMES, Retranslatable
from tipintake.ui.widgets import problem_label
from tipintake.ui.widgets.passphrase import PassphraseFields

if TYPE_CHECKING:
    from tipintake.ui.app import AppController


class WelcomePage(Retranslatable, QWizardPage):
    """Language and organisation."""

    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(current_language()))
        self.language.currentIndexChanged.connect(
            lambda: controller.switch_language(self.language.currentData()))
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation")
        self.organisation.textChanged.connect(self.completeChanged)
        self.language_label, self.org_label = QLabel(), QLabel()
        self.language_label.setBuddy(self.language)
        self.org_label.setBuddy(self.organisation)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        form.addRow(self.org_label, self.organisation)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addLayout(form)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setTitle(_("Welcome to tipintake"))
        self.intro.setText(_("This laptop has no records yet. Set up your organisation and the "
                             "first administrator. Everything you record is kept encrypted on "
                             "this laptop."))
        self.language_label.setText(_("&Language:"))
        self.org_label.setText(_("&Organisation:"))

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        """Next only with an organisation name."""
        return bool(self.organisation.text().strip())


class AdminPage(Retranslatable, QWizardPage):
    """The first administrator and their passphrase; committing creates the store."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setCommitPage(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.user_label = QLabel()
        self.user_label.setBuddy(self.username)
        self.passphrase = PassphraseFields()
        self.problem = problem_label()
        self.passphrase.insert_rows([(self.user_label, self.username)])
        box = QVBoxLayout(self)
        box.addWidget(self.passphrase)
        box.addWidget(self.problem)
        self.username.textChanged.connect(self.completeChanged)
        self.passphrase.changed.connect(self.completeChanged)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setTitle(_("The first administrator"))
        self.setSubTitle(_("The administrator adds the other staff later. Choose a passphrase "
                           "only you know."))
        self.user_label.setText(_("&User name:"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Create"))

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        """Create only with a name and a usable passphrase."""
        problem = self.passphrase.problem() if self.passphrase.passphrase() else ""
        self.problem.setText(problem)
        return bool(self.username.text().strip()) and not self.passphrase.problem()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        """Create the encrypted store now (Argon2id runs once: a fraction of a second)."""
        org = self.wiz.welcome.organisation.text().strip()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            session, recovery = self.wiz.controller.store.init(
                org, self.username.text().strip(), self.passphrase.passphrase(), current_language())
        except Exception as exc:  # noqa: BLE001 - shown to the user as one sentence
            self.problem.setText(operations.user_message(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.wiz.session = session
        self.wiz.recovery.show_key(recovery)
        return True


class RecoveryPage(Retranslatable, QWizardPage):
    """The recovery key, shown once, and the confirmation that it was written down."""

    def __init__(self) -> None:
        super().__init__()
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.key = QLabel()
        self.key.setObjectName("recovery_key")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        self.key.setFont(font)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confirm = QCheckBox()
        self.confirm.setObjectName("written_down")
        self.confirm.toggled.connect(self.completeChanged)
        box = QVBoxLayout(self)
        box.addWidget(self.explain)
        box.addWidget(self.key)
        box.addWidget(self.confirm)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setTitle(_("Your recovery key"))
        self.explain.setText(_("If every administrator forgets their passphrase, this key is the "
                               "only way back into the records. Write it on paper now and keep it "
                               "locked away from the laptop. It will not be shown again."))
        self.confirm.setText(_("I have &written the recovery key down and will keep it safe."))

    def show_key(self, key: str) -> None:
        """Put the key on screen (it lives only in this label until the wizard closes)."""
        self.key.setText(key)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        """Finish only after the confirmation."""
        return self.confirm.isChecked()


class SetupWizard(Retranslatable, QWizard):
    """The first-run wizard; ``finished_setup`` carries the admin's session."""

    finished_setup = Signal(object)

    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.session: Session | None = None
        self.setObjectName("setup_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.welcome = WelcomePage(controller)
        self.admin = AdminPage(self)
        self.recovery = RecoveryPage()
        for page in (self.welcome, self.admin, self.recovery):
            self.addPage(page)
        self.resize(640, 480)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setWindowTitle(_("Set up tipintake"))
        # QWizard keeps the button texts it was born with: set them from the catalogs.
        for which, text in ((QWizard.WizardButton.BackButton, _("< &Back")),
                            (QWizard.WizardButton.NextButton, _("&Next >")),
                            (QWizard.WizardButton.FinishButton, _("&Finish")),
                            (QWizard.WizardButton.CancelButton, _("Cancel"))):
            self.setButtonText(which, text)

    def accept(self) -> None:
        """Finished: forget the key on screen, hand the session over."""
        self.recovery.key.clear()
        super().accept()
        if self.session is not None:
            self.finished_setup.emit(self.session)
