"""Qt names the reports pages need beyond ``ui.qt``: QtCharts (PySide6-Addons) and PDF printing.

Kept in the reports room so that the main shim stays as its owner keeps it; a switch of
binding touches this file and ``ui/qt.py``.
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
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDateEdit, QFileDialog, QTabWidget

__all__ = [
    "QBarCategoryAxis", "QBarSeries", "QBarSet", "QBuffer", "QByteArray", "QCategoryAxis", "QChart", "QChartView",
    "QDateEdit", "QFileDialog", "QHorizontalBarSeries", "QIODevice", "QMarginsF", "QPageLayout",
    "QPageSize", "QPainter", "QPdfWriter", "QTabWidget", "QTextDocument", "QValueAxis",
]
