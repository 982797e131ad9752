"""The "Referral summary (PDF)…" button of a case window and its dialog.

The button appears only for roles that may export; the dialog is the export dialog
without table and format (a PDF of one case), encrypted by default, plain only after
the warning is acknowledged. The PDF itself is drawn by ``ui.reports.pdf``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tipintake.i18n import _
from tipintake.store.roles import Permission
from tipintake.ui.qt import QPushButton, QWidget
from tipintake.ui.reports.export_dialog import ExportDialog
from tipintake.ui.reports.pdf import export_case_pdf
from tipintake.ui.translator import Retranslatable

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


class ReferralPdfDialog(ExportDialog):
    """Protection choices for one case's referral PDF."""

    def __init__(self, main: MainWindow, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(main, [], parent)
        self.case_id = case_id
        self.setWindowTitle(_("Referral summary (PDF)"))
        self.form.setRowVisible(self.which, False)
        self.form.setRowVisible(self.format, False)

    def suggested_name(self, fmt: str) -> str:
        """A neutral name: no reference or name of the person in a file name."""
        return _("referral-summary") + ".pdf"

    def job(self, path: Path, passphrase: str | None, allow_plaintext: bool) -> tuple:
        """Write the PDF (in the thread pool; Qt's PDF writer draws off the GUI thread)."""
        return (export_case_pdf, self.main.session, self.case_id, path, passphrase, allow_plaintext)


class ReferralButton(Retranslatable, QPushButton):
    """Opens ``ReferralPdfDialog`` for a case; hidden for roles without EXPORT."""

    def __init__(self, main: MainWindow, case_id: str) -> None:
        super().__init__()
        self.main, self.case_id = main, case_id
        self.setObjectName("referral_pdf")
        self.setVisible(main.session.can(Permission.EXPORT))
        self.clicked.connect(lambda: ReferralPdfDialog(self.main, self.case_id, self.window()).open())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setText(_("&Referral summary (PDF)…"))
