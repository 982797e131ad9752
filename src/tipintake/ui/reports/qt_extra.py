"""Qt names the reports need beyond ``ui.qt``, from PySide6-Essentials: PDF printing, dialogs.

Kept in the reports room so that the main shim stays as its owner keeps it; a switch of
binding touches this file, ``qt_charts.py`` and ``ui/qt.py``.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDateEdit, QFileDialog, QTabWidget

__all__ = [
    "QBuffer", "QByteArray", "QDateEdit", "QFileDialog", "QIODevice", "QMarginsF", "QPageLayout",
    "QPageSize", "QPainter", "QPdfWriter", "QTabWidget", "QTextDocument",
]
