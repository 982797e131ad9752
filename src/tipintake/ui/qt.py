"""The one place tipintake imports Qt: every UI module takes its Qt names from here.

Keeping the binding behind one module (as Anki's ``aqt.qt`` does) means a switch of
binding or version touches one file, and a grep for ``PySide6`` outside ``ui/qt.py``
and ``ui/fonts.py`` finds a mistake.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QFont,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

__all__ = [
    "QAbstractItemView", "QAbstractTableModel", "QAction", "QActionGroup", "QApplication",
    "QButtonGroup", "QCheckBox", "QCloseEvent", "QComboBox", "QCoreApplication", "QDate",
    "QDialog", "QDialogButtonBox", "QEvent", "QFont", "QFormLayout", "QFrame",
    "QGridLayout", "QGroupBox", "QGuiApplication", "QHBoxLayout", "QHeaderView",
    "QItemSelectionModel", "QKeySequence", "QLabel", "QLineEdit", "QListWidget",
    "QListWidgetItem", "QLocale", "QMainWindow", "QMessageBox", "QModelIndex", "QObject",
    "QPersistentModelIndex", "QPlainTextEdit", "QProgressBar", "QPushButton",
    "QRadioButton", "QRunnable", "QScrollArea", "QSettings", "QShortcut", "QSize",
    "QSizePolicy", "QSpinBox", "QSplitter", "QStackedWidget", "QStatusBar", "QTableView",
    "QTableWidget", "QTableWidgetItem", "QThreadPool", "QTimer", "QToolBar", "QTranslator",
    "QTreeWidget", "QTreeWidgetItem", "QVBoxLayout", "QWidget", "QWizard", "QWizardPage",
    "Qt", "Signal", "Slot",
]
