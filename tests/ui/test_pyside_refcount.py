"""The Qt binding must not leak references to None (PySide6 6.12.0 did, and the app
aborted with "none_dealloc" after a few thousand widget calls on Python 3.11)."""

from __future__ import annotations

import sys

from tipintake.ui.qt import QWidget


def test_qt_calls_that_return_nothing_keep_none_alive(qapp):
    widget = QWidget()
    before = sys.getrefcount(None)
    for _n in range(500):
        widget.setVisible(False)
        widget.setWindowTitle("x")
    # Other threads may take or drop a few references meanwhile; a leak loses ~1000.
    assert sys.getrefcount(None) - before > -50
