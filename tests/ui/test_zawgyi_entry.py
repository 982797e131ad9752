"""Burmese typed or pasted in Zawgyi: converted when sure, asked when not, original kept."""

from __future__ import annotations

import pytest

from tests.ui.conftest import wait_ops

pytest.importorskip("icu")

SURE_ZAWGYI = "အလုပ္ရွင္က ပတ္စပို႔ကို သိမ္းထားသည္"
SURE_UNICODE = "အလုပ်ရှင်က ပတ်စပို့ကို သိမ်းထားသည်"
UNSURE = "မဂၤလာပါ"


def start(main_window):
    window = main_window.open_form("ui_test")
    window.widget("consent_interview").set_value("yes")
    window.widget("consent_interview").emit_edited()
    return window


def test_zawgyi_input_is_stored_as_unicode_with_the_original_kept(main_window, qtbot):
    window = start(main_window)
    name = window.widget("given_name")
    name.editor.insert(SURE_ZAWGYI)  # as a paste would
    qtbot.waitUntil(lambda: name.text() == SURE_UNICODE, timeout=3000)
    assert window.state.value("given_name") == SURE_UNICODE
    window.widget("age").set_value("22")
    window.widget("age").emit_edited()
    window.finish()
    wait_ops(qtbot)
    rev = main_window.session.cases.show(main_window.session.cases.list()[0].id).latest()
    assert rev.identity["given_name"] == SURE_UNICODE
    assert rev.identity["_zawgyi_originals"]["given_name"] == SURE_ZAWGYI


def test_uncertain_burmese_asks_the_interviewer(main_window, qtbot):
    window = start(main_window)
    story = window.widget("narrative")
    story.editor.setPlainText(UNSURE)
    qtbot.waitUntil(lambda: not story.zawgyi.isHidden(), timeout=3000)
    assert story.text() == UNSURE  # nothing changes without an answer
    story.zawgyi.convert.click()
    assert story.text() == "မင်္ဂလာပါ"
    assert story.zawgyi.isHidden()
    story.editor.setPlainText(UNSURE)  # the same text again: the same answer, no question
    qtbot.waitUntil(lambda: story.text() == "မင်္ဂလာပါ", timeout=3000)
    story.editor.setPlainText(UNSURE + " ")
    qtbot.waitUntil(lambda: not story.zawgyi.isHidden(), timeout=3000)
    story.zawgyi.keep.click()
    assert story.text() == UNSURE + " " and story.zawgyi.isHidden()
