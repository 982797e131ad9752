"""The Dashboard page: what has been collected, as charts, for a period and a form.

Every role that signs in sees it (figures carry no identity). The numbers on screen
are exact; tables leave the screen only through the Export button, suppressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tipintake.i18n import _, current_language, ngettext
from tipintake.i18n.digits import format_integer
from tipintake.reports import Dashboard, ReportFilter, Table, dashboard
from tipintake.ui.qt import QFrame, QGridLayout, QLabel, QScrollArea, QWidget
from tipintake.ui.reports.charts import chart_view
from tipintake.ui.reports.page_base import ReportPage

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


class DashboardPage(ReportPage):
    """Charts of the dashboard figures in a scrolling grid, two per row."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main)
        self.setObjectName("dashboard_page")
        self.total = QLabel()
        self.total.setObjectName("total")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        self.body.addWidget(self.total)
        self.body.addWidget(scroll, 1)
        self.charts: dict[str, QWidget] = {}
        self.retranslate_ui()

    def compute(self, session: Any, flt: ReportFilter, progress: Any) -> Dashboard:
        """Runs in the thread pool."""
        return dashboard(session, flt, progress)

    def show_result(self, result: Dashboard) -> None:
        """Replace the charts."""
        self._clear()
        lang = current_language()
        self.total.setText(ngettext("{count} case", "{count} cases", result.cases)
                           .format(count=format_integer(result.cases, lang)))
        for i, (key, table) in enumerate(result.tables.items()):
            view = chart_view(table, lang)
            self.charts[key] = view
            if key == "cases_by_month":
                self.grid.addWidget(view, 0, 0, 1, 2)
            else:
                self.grid.addWidget(view, 1 + (i - 1) // 2, (i - 1) % 2)

    def _clear(self) -> None:
        for view in self.charts.values():
            self.grid.removeWidget(view)
            view.deleteLater()
        self.charts.clear()

    def export_tables(self) -> list[Table]:
        """Every figure (suppressed on export)."""
        return list(self.result.tables.values()) if self.result is not None else []

    def before_lock(self) -> None:
        """Forget the charts too."""
        super().before_lock()
        self._clear()
        self.total.setText("")

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        super().retranslate_ui()
        self.setWindowTitle(_("Dashboard"))
