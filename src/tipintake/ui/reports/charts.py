"""Charts of report tables (QtCharts): bars per category, numbers in the locale's digits.

Months run left to right as columns; categories are horizontal bars, largest on top,
so long translated labels (Thai, Khmer, Burmese country names) stay readable. The
count is part of each category label, formatted by ``format_integer`` so Burmese
shows its own digits, and the value axis follows ``QLocale`` of the interface language.
"""

from __future__ import annotations

from tipintake.i18n import _, current_language
from tipintake.i18n.digits import format_integer
from tipintake.reports import Table
from tipintake.ui.qt import QLocale, QSizePolicy, Qt
from tipintake.ui.reports.qt_extra import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPainter,
    QValueAxis,
)

MAX_BARS = 12  # more categories than this are summed into "Other categories"


def category_label(label: str, count: int, lang: str) -> str:
    """"Feminine (1,204)" with the count in the language's digits."""
    # TRANSLATORS: a chart category and its number of cases, e.g. "Forced labour (120)".
    return _("{label} ({count})").format(label=label, count=format_integer(count, lang))


def _bars(table: Table) -> list[tuple[str, int]]:
    rows = [(r.label, r.values[0] or 0) for r in table.rows]
    if table.key == "cases_by_month" or len(rows) <= MAX_BARS:
        return rows
    rest = sum(n for _label, n in rows[MAX_BARS - 1:])
    return rows[:MAX_BARS - 1] + [(_("Other categories"), rest)]


def make_chart(table: Table, lang: str | None = None) -> QChart:
    """A bar chart of ``table``'s first count column."""
    lang = lang or current_language()
    chart = QChart()
    chart.setTitle(table.title)
    chart.legend().setVisible(False)
    chart.setLocalizeNumbers(True)
    chart.setLocale(QLocale(lang))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    bars = _bars(table)
    months = table.key == "cases_by_month"
    if not months:
        bars = list(reversed(bars))  # horizontal bars are drawn bottom-up: largest on top
    values = QBarSet(table.columns[1] if len(table.columns) > 1 else "")
    for _label, n in bars:
        values.append(n)
    series = QBarSeries() if months else QHorizontalBarSeries()
    series.append(values)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([label if months else category_label(label, n, lang) for label, n in bars])
    counts = QValueAxis()
    counts.setLabelFormat("%d")
    counts.setMin(0)
    counts.setMax(max([n for _l, n in bars] + [1]) * 1.1)
    counts.applyNiceNumbers()
    cat_side, value_side = ((Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft) if months
                            else (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom))
    chart.addAxis(categories, cat_side)
    chart.addAxis(counts, value_side)
    series.attachAxis(categories)
    series.attachAxis(counts)
    if months and len(bars) > 12:
        categories.setLabelsAngle(-60)
    return chart


def chart_view(table: Table, lang: str | None = None) -> QChartView:
    """A widget showing ``make_chart(table)``."""
    view = QChartView(make_chart(table, lang))
    view.setObjectName(f"chart_{table.key}")
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(300)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view
