"""QtCharts names for the dashboard (PySide6-Addons, in the ``gui`` extra).

Apart from ``qt_extra`` so that windows which only print or export (the case window's
referral PDF) keep working where only PySide6-Essentials is installed.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)

__all__ = [
    "QBarCategoryAxis", "QBarSeries", "QBarSet", "QCategoryAxis", "QChart", "QChartView",
    "QHorizontalBarSeries", "QValueAxis",
]
