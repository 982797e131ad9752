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
from tipintake.ui.reports.qt_charts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from tipintake.ui.reports.qt_extra import QPainter

MAX_BARS = 12  # more categories than this are summed into "Other categories"
MISSING = frozenset({"unknown", "refused", "not_asked", "no_answer"})


def category_label(label: str, count: int, lang: str) -> str:
    """"Feminine (1,204)" with the count in the language's digits."""
    # TRANSLATORS: a chart category and its number of cases, e.g. "Forced labour (120)".
    return _("{label} ({count})").format(label=label, count=format_integer(count, lang))


def _bars(table: Table) -> list[tuple[str, int]]:
    if table.key == "cases_by_month":
        return [(r.label, r.values[0] or 0) for r in table.rows]
    known = [(r.label, r.values[0] or 0) for r in table.rows if r.code not in MISSING]
    missing = [(r.label, r.values[0] or 0) for r in table.rows if r.code in MISSING]
    if len(known) > MAX_BARS:
        # The reasons for no answer keep their own bars: they are never "other".
        rest = sum(n for _label, n in known[MAX_BARS - 1:])
        known = known[:MAX_BARS - 1] + [(_("Other categories"), rest)]
    return known + missing


def _month_axis(labels: list[str]) -> QCategoryAxis:
    """Every k-th month named on the time axis, so four years of months stay legible."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(-0.5, len(labels) - 0.5)
    step = max(1, -(-len(labels) // 10))
    for i in range(0, len(labels), step):
        axis.append(labels[i], i)
    return axis


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
    if months:
        categories: QBarCategoryAxis | QCategoryAxis = _month_axis([label for label, _n in bars])
    else:
        categories = QBarCategoryAxis()
        categories.append([category_label(label, n, lang) for label, n in bars])
    counts = QValueAxis()
    counts.setLabelFormat("%.0f")
    counts.setMin(0)
    counts.setMax(max([n for _l, n in bars] + [1]) * 1.1)
    counts.applyNiceNumbers()
    cat_side, value_side = ((Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft) if months
                            else (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom))
    chart.addAxis(categories, cat_side)
    chart.addAxis(counts, value_side)
    series.attachAxis(categories)
    series.attachAxis(counts)
    small = chart.font()
    small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
    categories.setLabelsFont(small)
    counts.setLabelsFont(small)
    return chart


def chart_view(table: Table, lang: str | None = None) -> QChartView:
    """A widget showing ``make_chart(table)``."""
    view = QChartView(make_chart(table, lang))
    view.setObjectName(f"chart_{table.key}")
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    # Room for every category label: Qt elides a label that does not fit its band.
    bars = len(_bars(table))
    view.setMinimumHeight(420 if table.key == "cases_by_month" else max(240, 90 + 30 * bars))
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view
