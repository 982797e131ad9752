"""The Data-quality page: completeness per question and findings that open their cases.

The table shows, per question, the share of cases answered, unknown, refused, not
asked and with no answer. Findings list inconsistent answers; each one unfolds into
the references of the cases concerned, and activating a reference opens the case.
The duplicate check reads identity inside the store, so only roles that may read
identity see its button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tipintake.i18n import _, current_language, ngettext
from tipintake.i18n.digits import format_decimal, format_integer
from tipintake.reports import Finding, QualityReport, ReportFilter, Table, duplicates, quality
from tipintake.store.roles import Permission
from tipintake.ui import operations
from tipintake.ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)
from tipintake.ui.reports.page_base import ReportPage

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow

CASE_ROLE = Qt.ItemDataRole.UserRole


def share(part: int, whole: int, lang: str) -> str:
    """"42.5 %" in the language's digits (empty when nobody was asked)."""
    if whole <= 0:
        return ""
    # TRANSLATORS: a percentage, e.g. "42.5 %".
    return _("{share} %").format(share=format_decimal(100 * part / whole, lang, places=1))


class QualityPage(ReportPage):
    """Completeness table above, findings below."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main)
        self.setObjectName("quality_page")
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("completeness")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.findings = QTreeWidget()
        self.findings.setObjectName("findings")
        self.findings.setColumnCount(2)
        self.findings.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.findings.itemActivated.connect(self._open)
        self.duplicates_button = QPushButton()
        self.duplicates_button.setObjectName("duplicates")
        self.duplicates_button.clicked.connect(self.check_duplicates)
        self.duplicates_button.setVisible(main.session.can(Permission.READ_IDENTITY))
        self.findings_title = QLabel()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.findings)
        split.setSizes([600, 300])
        self.body.addWidget(self.findings_title)
        self.body.addWidget(split, 1)
        self.body.addWidget(self.duplicates_button)
        self.duplicate_findings: list[Finding] = []
        self.retranslate_ui()

    def compute(self, session: Any, flt: ReportFilter, progress: Any) -> QualityReport:
        """Runs in the thread pool."""
        return quality(session, flt, progress)

    def show_result(self, result: QualityReport) -> None:
        """Fill the table and the findings."""
        lang = current_language()
        rows = result.completeness.rows
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            asked, answered, *missing = row.values
            cells = [row.label, format_integer(asked or 0, lang), share(answered or 0, asked or 0, lang),
                     *(share(m or 0, asked or 0, lang) for m in missing)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, col, item)
        self._fill_findings(result.findings + self.duplicate_findings)

    def _fill_findings(self, found: list[Finding]) -> None:
        lang = current_language()
        self.findings.clear()
        for finding in found:
            top = QTreeWidgetItem([finding.message, ngettext("{count} case", "{count} cases", len(finding.cases))
                                   .format(count=format_integer(len(finding.cases), lang))])
            for case_id, reference in finding.cases[:500]:
                child = QTreeWidgetItem([reference, ""])
                child.setData(0, CASE_ROLE, case_id)
                child.setToolTip(0, _("Open this case"))
                top.addChild(child)
            self.findings.addTopLevelItem(top)
        if self.findings.topLevelItemCount():
            self.findings.topLevelItem(0).setExpanded(True)

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ROLE)
        if case_id:
            self.main.open_case(case_id)

    def check_duplicates(self) -> None:
        """Compare identities inside the store, off the GUI thread."""
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(_("Looking for people entered more than once…"))

        def done(found: list[Finding]) -> None:
            self.progress.setVisible(False)
            self.status.setText(ngettext("{count} possible duplicate group", "{count} possible duplicate groups",
                                         len(found)).format(count=format_integer(len(found), current_language())))
            self.duplicate_findings = found
            if self.result is not None:
                self._fill_findings(self.result.findings + found)

        def failed(exc: BaseException) -> None:
            self.progress.setVisible(False)
            self.status.setText("")
            self.main.show_error(exc)

        operations.run(duplicates, self.main.session, self.report_filter(), on_done=done, on_error=failed)

    def export_tables(self) -> list[Table]:
        """Completeness and findings counts (suppressed on export; case lists stay here)."""
        if self.result is None:
            return []
        return [self.result.completeness, self.result.findings_table()]

    def before_lock(self) -> None:
        """Forget findings and case references."""
        super().before_lock()
        self.duplicate_findings = []
        self.findings.clear()
        self.table.setRowCount(0)

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.table.setHorizontalHeaderLabels([_("Question"), _("Cases"), _("Answered"), _("Unknown"),
                                              _("Refused"), _("Not asked"), _("No answer")])
        self.findings.setHeaderLabels([_("Finding"), _("Cases")])
        self.findings_title.setText(_("Inconsistent answers: open a reference to correct the case."))
        self.duplicates_button.setText(_("Look for &duplicate cases"))
        super().retranslate_ui()
