"""The case list as a lazily loading table model: pages of rows fetched as the view scrolls.

``rowCount`` starts at one page; ``canFetchMore``/``fetchMore`` bring the next page
from ``cases.list(offset, limit)`` when the view nears the end, so opening a list of
100,000 cases reads 200 rows. Sorting and filtering reset the model and ask the
service again (the database sorts, not Python). Rows carry no identity and no
answers; ``clear()`` forgets them on lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from tipintake.i18n import _
from tipintake.i18n.calendars import format_date
from tipintake.i18n.digits import to_native_digits
from tipintake.store.cases import CaseFilter, CaseRow
from tipintake.ui.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAGE = 200

Index = QModelIndex | QPersistentModelIndex


def _columns() -> list[tuple[str, str]]:
    """(sort key, heading) per column, headings in the interface language."""
    return [
        # TRANSLATORS: column of the case list: the short case reference (e.g. K7M2-Q2X4).
        ("reference", _("Reference")),
        ("form_id", _("Form")),
        ("status", _("Status")),
        # TRANSLATORS: column of the case list: when the case last changed.
        ("updated_at", _("Updated")),
        # TRANSLATORS: column of the case list: the staff member who changed it last.
        ("staff", _("Staff")),
        # TRANSLATORS: column of the case list: how many times the case was saved.
        ("revisions", _("Revisions")),
    ]


def status_label(status: str) -> str:
    """A case status in the interface language."""
    labels = {
        # TRANSLATORS: case status.
        "open": _("Open"),
        # TRANSLATORS: case status.
        "closed": _("Closed"),
        # TRANSLATORS: case status: referred to another organisation.
        "referred": _("Referred"),
        # TRANSLATORS: case status: the person withdrew their consent.
        "withdrawn": _("Withdrawn"),
    }
    return labels.get(status, status)


@lru_cache(maxsize=4096)
def _format_day(day: date, lang: str) -> str:
    # Babel takes most of a millisecond per date; a list shows few distinct days.
    return format_date(day, lang, "medium")


def format_when(value: datetime, lang: str) -> str:
    """A timestamp for lists: the date in the locale's calendar, then the time."""
    return f"{_format_day(value.date(), lang)} {to_native_digits(f'{value:%H:%M}', lang)}"


class CasesModel(QAbstractTableModel):
    """Pages of ``CaseRow`` from a fetch function ``(filter, sort, descending, offset, limit)``."""

    def __init__(self, fetch: Callable[..., list[CaseRow]], count: Callable[[CaseFilter], int],
                 form_title: Callable[[str], str] | None = None, language: Callable[[], str] | None = None) -> None:
        super().__init__()
        self._fetch = fetch
        self._count = count
        self._form_title = form_title or (lambda form_id: form_id)
        self._language = language or (lambda: "en")
        self.rows: list[CaseRow] = []
        self.total = 0
        self.filter = CaseFilter()
        self.sort_key = "updated_at"
        self.descending = True
        self._headings = _columns()
        self._shown: dict[int, tuple[str, ...]] = {}
        self._titles: dict[str, str] = {}

    # -- loading ---------------------------------------------------------------
    def reload(self, flt: CaseFilter | None = None) -> None:
        """Start again from the first page (with a new filter when given)."""
        self.beginResetModel()
        if flt is not None:
            self.filter = flt
        self.total = self._count(self.filter)
        self.rows = self._page(0)
        self._shown.clear()
        self.endResetModel()

    def _page(self, offset: int) -> list[CaseRow]:
        return self._fetch(self.filter, sort=self.sort_key, descending=self.descending,
                           offset=offset, limit=PAGE)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        """More rows exist beyond those loaded."""
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        """Load the next page."""
        if parent.isValid():
            return
        more = self._page(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def clear(self) -> None:
        """Forget every row (on lock)."""
        self.beginResetModel()
        self.rows = []
        self.total = 0
        self._shown.clear()
        self._titles.clear()
        self.endResetModel()

    # -- Qt model --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Fixed columns."""
        return 0 if parent.isValid() else len(self._headings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; the case id under UserRole."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        shown = self._shown.get(index.row())
        if shown is None:
            shown = self._shown[index.row()] = self._cells(row)
        return shown[index.column()]

    def _cells(self, row: CaseRow) -> tuple[str, ...]:
        """A row's texts, computed once per row and language (painting asks many times)."""
        lang = self._language()
        title = self._titles.get(row.form_id)
        if title is None:
            title = self._titles[row.form_id] = self._form_title(row.form_id)
        return (row.reference, title, status_label(row.status), format_when(row.updated_at, lang),
                row.updated_by, to_native_digits(str(row.revision_count), lang))

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column headings in the interface language."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headings[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database and start again from the first page."""
        key = self._headings[column][0]
        key = key if key != "revisions" else "updated_at"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending) and self.rows:
            return  # already in this order (Qt asks again when sorting is switched on)
        self.sort_key, self.descending = key, descending
        self.reload()

    def retranslate(self) -> None:
        """Item models get no LanguageChange: refresh headings and cells by hand."""
        self._headings = _columns()
        self._shown.clear()
        self._titles.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headings) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self._headings) - 1))
