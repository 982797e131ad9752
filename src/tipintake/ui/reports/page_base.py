"""What the dashboard and data-quality pages share: filters, a progress bar, work off the GUI thread.

A page asks ``operations.run`` to compute its report (the first pass over 100k cases
takes seconds; later ones read only what changed) and draws the result when it comes
back. A newer request makes an older answer obsolete, so a slow result never
overwrites a fresh one. On lock the page forgets its figures and the summary cache.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tipintake.forms import list_forms
from tipintake.i18n import _
from tipintake.reports import ReportFilter, Table, clear_cache
from tipintake.store.cases import CaseFilter
from tipintake.store.roles import Permission
from tipintake.ui import operations
from tipintake.ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.reports.qt_extra import QDateEdit
from tipintake.ui.translator import Retranslatable

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


class ReportPage(Retranslatable, QWidget):
    """Filter bar, progress bar and Export button above a page's own content."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.generation = 0
        self.result: Any = None
        self.period = QCheckBox()
        self.period.setObjectName("period")
        self.since = QDateEdit(QDate(date.today().year, 1, 1))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        self.period.toggled.connect(self.since.setEnabled)
        self.period.toggled.connect(self.until.setEnabled)
        self.form = QComboBox()
        self.form.setObjectName("form_filter")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export)
        self.export_button.setVisible(main.session.can(Permission.EXPORT))
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("status")
        bar = QHBoxLayout()
        for w in (self.period, self.since, self.until, self.form, self.refresh_button):
            bar.addWidget(w)
        bar.addStretch()
        bar.addWidget(self.export_button)
        self.body = QVBoxLayout(self)
        self.body.addLayout(bar)
        self.body.addWidget(self.progress)
        self.body.addWidget(self.status)

    # -- to override -----------------------------------------------------------
    def compute(self, session: Any, flt: ReportFilter, progress: Any) -> Any:
        """Runs in the thread pool: the page's report for ``flt``."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        """Draw ``result`` (GUI thread)."""

    def export_tables(self) -> list[Table]:
        """The tables the Export button offers."""
        return []

    # -- shared ----------------------------------------------------------------
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Count the first time the page is shown, not at sign-in (most sessions never look)."""
        super().showEvent(event)
        if self.result is None and not self.progress.isVisible():
            self.refresh()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.period.setText(_("Registered between"))
        current = self.form.currentData()
        self.form.clear()
        self.form.addItem(_("All forms"), None)
        for form_id in list_forms():
            self.form.addItem(form_id, form_id)
        self.form.setCurrentIndex(max(0, self.form.findData(current)))
        self.refresh_button.setText(_("&Refresh"))
        self.export_button.setText(_("&Export…"))
        if self.result is not None:
            self.refresh()  # labels inside the figures are translated when computed

    def report_filter(self) -> ReportFilter:
        """The filter chosen in the bar."""
        since = until = None
        if self.period.isChecked():
            since = self.since.date().toPython()
            until = self.until.date().toPython()
        return ReportFilter(since=since, until=until, form_id=self.form.currentData())

    def refresh(self) -> None:
        """Compute the report again off the GUI thread."""
        if self.main.locking:
            return
        self.generation += 1
        mine = self.generation
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.setVisible(True)
        self.status.setText(_("Counting…"))
        operations.run(self.compute, self.main.session, self.report_filter(),
                       on_done=lambda result: self._done(mine, result),
                       on_error=lambda exc: self._failed(mine, exc),
                       on_progress=lambda done, total: self._progress(mine, done, total))

    def _progress(self, mine: int, done: int, total: int) -> None:
        if mine == self.generation and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, mine: int, result: Any) -> None:
        if mine != self.generation or self.main.locking:
            return
        self.progress.setVisible(False)
        self.status.setText("")
        self.result = result
        self.show_result(result)

    def _failed(self, mine: int, exc: BaseException) -> None:
        if mine != self.generation:
            return
        self.progress.setVisible(False)
        self.status.setText("")
        self.main.show_error(exc)

    def export(self) -> None:
        """Offer the page's tables for export (encrypted, or plain after a warning)."""
        from tipintake.ui.reports.export_dialog import ExportDialog

        tables = self.export_tables()
        if tables:
            flt = self.report_filter()
            ExportDialog(self.main, tables, self, cases=CaseFilter(form_id=flt.form_id)).open()

    def before_lock(self) -> None:
        """Forget every figure on screen and the in-memory summaries."""
        self.generation += 1
        self.result = None
        clear_cache()
