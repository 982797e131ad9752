"""A passphrase box with a repeat box and a strength meter (set-up, add user, reset)."""

from __future__ import annotations

from tipintake.i18n import _
from tipintake.store.session import MIN_PASSPHRASE
from tipintake.ui.qt import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget, Signal
from tipintake.ui.strength import strength
from tipintake.ui.translator import Retranslatable


class PassphraseFields(Retranslatable, QWidget):
    """Two password boxes and a meter; ``changed`` fires on every keystroke."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setObjectName("passphrase")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setObjectName("passphrase_repeat")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(10)
        self.verdict = QLabel()
        self.verdict.setObjectName("strength")
        self.label_first, self.label_second = QLabel(), QLabel()
        self.label_first.setBuddy(self.first)
        self.label_second.setBuddy(self.second)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.form = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.label_first, self.first)
        form.addRow("", self.meter)
        form.addRow("", self.verdict)
        form.addRow(self.label_second, self.second)
        form.addRow("", self.advice)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self.retranslate_ui()

    def insert_rows(self, rows: list[tuple[QLabel, QWidget]]) -> None:
        """Put other fields (user name, role…) above, aligned with the passphrase boxes."""
        for i, (label, field) in enumerate(rows):
            self.form.insertRow(i, label, field)

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.label_first.setText(_("&Passphrase:"))
        self.label_second.setText(_("&Repeat it:"))
        self.advice.setText(_("Use at least {count} characters; four unrelated words are easy "
                              "to remember and hard to guess.").format(count=MIN_PASSPHRASE))
        self._update()

    def _update(self) -> None:
        score, verdict = strength(self.first.text())
        self.meter.setValue(score)
        self.verdict.setText(verdict if self.first.text() else "")
        self.changed.emit()

    def passphrase(self) -> str:
        """The passphrase typed (both boxes must match: see ``problem()``)."""
        return self.first.text()

    def problem(self) -> str:
        """Why the passphrase cannot be used yet ("" when it can)."""
        score, _verdict = strength(self.first.text())
        if score == 0:
            return _("The passphrase is too short: use at least {count} characters.").format(
                count=MIN_PASSPHRASE)
        if score == 1:
            return _("The passphrase is too easy to guess: add more words.")
        if self.first.text() != self.second.text():
            return _("The two passphrases are not the same.")
        return ""

    def clear(self) -> None:
        """Forget what was typed."""
        self.first.clear()
        self.second.clear()
