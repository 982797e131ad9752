"""The Cases page: search in every script, filters, sorting, and the lazy case list.

Searching asks the store's trigram index (``cases.search``) in the background and
then shows only the matching cases, still sorted and filtered in the database.
Double-click or Enter opens a case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tipintake.i18n import _, current_language, ngettext
from tipintake.i18n.digits import format_integer
from tipintake.store.cases import STATUSES, CaseFilter
from tipintake.store.session import now
from tipintake.ui import forms_catalog, operations
from tipintake.ui.cases_model import CasesModel, status_label
from tipintake.ui.fonts import row_height
from tipintake.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.translator import Retranslatable

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow

_PERIODS = (0, 1, 7, 30, 365)


class CasesPage(Retranslatable, QWidget):
    """Search box, filters, the case table and a count."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.session = main.session
        self.search_ids: tuple[str, ...] | None = None
        self.model = CasesModel(self.session.cases.list, self.session.cases.count,
                                forms_catalog.title, current_language)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(300)  # one query after typing pauses
        self.search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self.search_timer.start)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.form = QComboBox()
        self.form.setObjectName("form_filter")
        self.staff = QComboBox()
        self.staff.setObjectName("staff_filter")
        self.period = QComboBox()
        self.period.setObjectName("period_filter")
        self.form_ids = forms_catalog.available_forms()
        self.staff_names = [u.username for u in self.session.users.list()]
        for combo in (self.status, self.form, self.staff, self.period):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.table = QTableView()
        self.table.setObjectName("cases")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Fixed widths: sizing to contents would format every loaded row on each page fetch.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the form's title
        for column, width in ((0, 120), (2, 110), (3, 190), (4, 130), (5, 90)):
            header.resizeSection(column, width)
        self.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(self.open_case)
        self.table.doubleClicked.connect(self.open_case)
        self.count = QLabel()
        self.count.setObjectName("count")
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)

        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 3)
        for combo in (self.status, self.form, self.staff, self.period):
            top.addWidget(combo, 1)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.table)
        box.addWidget(self.count)
        self._fill_combos()
        self.model.reload(self.current_filter())
        self.table.setSortingEnabled(True)  # after the first load: Qt calls sort() at once
        self._show_count()
        self.retranslate_ui()

    # -- texts -----------------------------------------------------------------
    def retranslate_ui(self) -> None:
        """Texts in the interface language (the model's too)."""
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("Name, place, reference… in any language"))
        self._fill_combos()
        self.model.retranslate()
        self.table.verticalHeader().setDefaultSectionSize(row_height(current_language()))
        self._show_count()

    def _fill_combos(self) -> None:
        def fill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
            keep = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(keep, 0))
            combo.blockSignals(False)

        fill(self.status, [(_("Any status"), None)] + [(status_label(s), s) for s in STATUSES])
        fill(self.form, [(_("Any form"), None)] + [(forms_catalog.title(f), f) for f in self.form_ids])
        fill(self.staff, [(_("Any staff member"), None)] + [(n, n) for n in self.staff_names])
        periods = [(_("Any time"), 0), (_("Today"), 1)] + [
            (ngettext("Last {days} day", "Last {days} days", d).format(days=d), d) for d in _PERIODS[2:]]
        fill(self.period, periods)

    def _show_count(self) -> None:
        n = self.model.total
        self.count.setText(ngettext("{count} case", "{count} cases", n).format(
            count=format_integer(n, current_language())))

    # -- filtering -------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        """The filter the widgets describe (search results included)."""
        days = self.period.currentData() or 0
        since = now() - timedelta(days=days) if days else None
        if days == 1:
            since = now().replace(hour=0, minute=0, second=0, microsecond=0)
        return CaseFilter(status=self.status.currentData(), form_id=self.form.currentData(),
                          staff=self.staff.currentData(), since=since, ids=self.search_ids)

    def apply_filters(self) -> None:
        """Reload from the first page with the current filters."""
        if self.main.locking:
            return  # the store is closing: nothing may be read any more
        self.model.reload(self.current_filter())
        self._show_count()

    def run_search(self) -> None:
        """Ask the search index in the background; empty text shows every case."""
        query = self.search.text().strip()
        if not query:
            self.search_ids = None
            self.apply_filters()
            return
        self.count.setText(_("Searching…"))
        operations.run(self.session.cases.search, query,
                       on_done=lambda ids, q=query: self._found(q, ids),
                       on_error=self.main.show_error)

    def _found(self, query: str, ids: list[str]) -> None:
        if query != self.search.text().strip():
            return  # the user typed on: a newer search is coming
        self.search_ids = tuple(ids)
        self.apply_filters()

    def refresh(self) -> None:
        """Show changes saved elsewhere (a new intake, a new status)."""
        self.apply_filters()

    # -- actions ---------------------------------------------------------------
    def open_case(self, index: QModelIndex) -> None:
        """Open the case under ``index``."""
        case_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if case_id:
            self.main.open_case(case_id)

    def before_lock(self) -> None:
        """Forget rows and search text."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search_timer.stop()
        self.model.clear()
