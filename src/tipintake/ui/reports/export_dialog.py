"""The export dialog: which table, which format, encrypted (the default) or plain after a warning.

Encrypted exports use a passphrase the user types twice; the file is in the ``age``
format (open it with ``age -d``, see docs/reports.md). Choosing an unencrypted file
shows what that means and needs a tick before the Export button works. The export
itself runs in the thread pool with a progress bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tipintake.i18n import _
from tipintake.reports import Table, export_cases, export_table
from tipintake.store.cases import CaseFilter
from tipintake.ui import operations
from tipintake.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.reports.qt_extra import QFileDialog

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


class ExportDialog(QDialog):
    """Choose a table, a format and how the file is protected; then export off the GUI thread."""

    def __init__(self, main: MainWindow, tables: list[Table], parent: QWidget | None = None,
                 cases: CaseFilter | None = None) -> None:
        super().__init__(parent)
        self.main = main
        self.setObjectName("export_dialog")
        self.setWindowTitle(_("Export a table"))
        self.tables = tables
        self.which = QComboBox()
        for t in tables:
            self.which.addItem(t.title, t.key)
        self.cases = cases
        if cases is not None:
            # TRANSLATORS: an export choice: one row per case, references only.
            self.which.addItem(_("Case list (references, no answers)"), "cases")
        self.format = QComboBox()
        self.format.addItem(_("Excel workbook (.xlsx)"), "xlsx")
        self.format.addItem(_("CSV for Excel (.csv)"), "csv")
        self.encrypted = QRadioButton(_("Encrypted with a passphrase (recommended)"))
        self.encrypted.setChecked(True)
        self.plain = QRadioButton(_("Not encrypted"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.warning = QLabel(_("Anyone who finds an unencrypted file can read it. Small numbers are "
                                "hidden, but keep the file only where your organisation allows."))
        self.warning.setWordWrap(True)
        self.acknowledge = QCheckBox(_("I understand; write the file unencrypted"))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.form = form = QFormLayout()
        form.addRow(_("Table"), self.which)
        form.addRow(_("Format"), self.format)
        form.addRow(self.encrypted)
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Passphrase again"), self.again)
        form.addRow(self.plain)
        form.addRow(self.warning)
        form.addRow(self.acknowledge)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.progress)
        col.addWidget(self.buttons)
        for w in (self.encrypted, self.plain, self.acknowledge):
            w.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        plain = self.plain.isChecked()
        self.passphrase.setEnabled(not plain)
        self.again.setEnabled(not plain)
        self.warning.setVisible(plain)
        self.acknowledge.setVisible(plain)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not plain or self.acknowledge.isChecked())

    def choose_file(self) -> None:
        """Ask where to write, then export."""
        fmt = self.format.currentData()
        if self.encrypted.isChecked() and self.passphrase.text() != self.again.text():
            self.main.show_error_text(_("The two passphrases are not the same."))
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Export to"), self.suggested_name(fmt))
        if path:
            self.export_to(Path(path))

    def suggested_name(self, fmt: str) -> str:
        """The file name offered in the save dialog."""
        return f"{self.which.currentData()}.{fmt}"

    def job(self, path: Path, passphrase: str | None, allow_plaintext: bool) -> tuple:
        """The function and arguments that write the file (run in the thread pool)."""
        if self.which.currentData() == "cases":
            return (export_cases, self.main.session, self.format.currentData(), path, self.cases,
                    passphrase, allow_plaintext)
        table = self.tables[self.which.currentIndex()]
        return (export_table, self.main.session, table, self.format.currentData(), path,
                passphrase, allow_plaintext)

    def export_to(self, path: Path) -> None:
        """Run the export (tests call this directly, without the file dialog)."""
        encrypted = self.encrypted.isChecked()
        fn, *args, passphrase, allow_plaintext = self.job(
            path, self.passphrase.text() if encrypted else None,
            not encrypted and self.acknowledge.isChecked())
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.buttons.setEnabled(False)

        def done(result: object) -> None:
            self.progress.setVisible(False)
            self.buttons.setEnabled(True)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.progress.setVisible(False)
            self.buttons.setEnabled(True)
            self.main.show_error(exc)

        operations.run(fn, *args, passphrase=passphrase, allow_plaintext=allow_plaintext,
                       on_done=done, on_error=failed)
