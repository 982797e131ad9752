"""Keyboard-only use of the form, and Thai users typing Buddhist-Era dates."""

from __future__ import annotations

import gettext

import pytest
from PySide6.QtTest import QTest

import tipintake.i18n as i18n
from tipintake.ui.qt import QApplication, QPushButton, Qt


@pytest.fixture
def english_thai(monkeypatch):
    """Thai as the interface language with English texts (dates still follow Thai rules)."""
    monkeypatch.setitem(i18n._cache, "th", gettext.NullTranslations())
    yield
    i18n._cache.pop("th", None)


def test_every_button_of_the_form_has_a_keyboard_shortcut(main_window, qtbot):
    window = main_window.open_form("ui_test")
    buttons = [b for b in window.chrome.findChildren(QPushButton) if b.text()]
    assert buttons and all("&" in b.text() for b in buttons), [b.text() for b in buttons]
    label = window.widget("consent_interview").label
    assert label.buddy() is not None  # Alt+letter and screen readers reach the input


def test_the_form_can_be_filled_with_the_keyboard_alone(main_window, qtbot):
    window = main_window.open_form("ui_test")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    first = window.widget("consent_interview").focus_widget()
    first.setFocus()
    QTest.keyClick(first, Qt.Key.Key_Space)  # choose "Yes"
    assert window.state.value("consent_interview") == "yes"
    QTest.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.pages[window.current].key == "person"
    name = window.widget("given_name").editor
    name.setFocus()
    QTest.keyClicks(name, "Lwin")
    QTest.keyClick(name, Qt.Key.Key_Tab)
    assert window.state.value("given_name") == "Lwin"
    assert QApplication.focusWidget() is not name  # Tab moves on


def test_thai_users_type_buddhist_era_dates(main_window, english_thai, qtbot):
    main_window.controller.switch_language("th")
    window = main_window.open_form("ui_test")
    window.widget("consent_interview").set_value("yes")
    window.widget("consent_interview").emit_edited()
    date = window.widget("birth_date")
    date.editor.setText("๒๙/๒/๒๕๕๑")  # 29 Feb 2551 BE in Thai digits
    date.emit_edited()
    assert window.state.value("birth_date") == "2008-02-29"
    date.editor.editingFinished.emit()
    assert "2551" in date.editor.text()  # shown back in the Buddhist Era
    date.editor.setText("31/2/2551")
    date.emit_edited()
    date.show_error(None)
    assert date.error.text()  # an impossible date says so in the user's language
