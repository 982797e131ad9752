"""A new intake: consent first, skip logic, calculations, validation, saving, drafts."""

from __future__ import annotations

from tests.ui.conftest import wait_ops
from tipintake.ui.form_view import FormWindow


def open_form(main_window, **kwargs) -> FormWindow:
    window = main_window.open_form("ui_test", **kwargs)
    assert isinstance(window, FormWindow)
    return window


def answer(window: FormWindow, name: str, value) -> None:
    """Answer through the widget, as a user would."""
    widget = window.widget(name)
    widget.set_value(value)
    widget.emit_edited()


def test_new_intake_with_skip_logic_calculation_and_validation(main_window, qtbot):
    window = open_form(main_window)
    assert window.current == 0 and window.pages[0].key == "consent"
    window.next_page()
    assert window.current == 0  # nothing is asked before the person consents
    assert "consent first" in window.chrome.status.text()
    answer(window, "consent_interview", "yes")
    window.next_page()
    assert window.pages[window.current].key == "person"
    guardian = window.widget("guardian_name")
    assert not guardian.isVisibleTo(window)  # relevant only for children
    answer(window, "age", "15")
    assert guardian.isVisibleTo(window)
    assert window.widget("is_adult").shown.text() == "no"
    answer(window, "age", "150")
    assert window.widget("age").error.text() == "The age must be between 0 and 120."
    # Thai digits are accepted and stored as ASCII.
    answer(window, "age", "๓๕")
    assert window.state.value("age") == 35
    assert not guardian.isVisibleTo(window)
    assert window.widget("age").error.isHidden()
    assert window.widget("is_adult").shown.text() == "yes"
    # Finishing with a required answer missing: nothing saved, the page with the problem shown.
    window.finish()
    assert window.pages[window.current].key == "person"
    assert window.widget("given_name").error.isVisibleTo(window)
    assert main_window.session.cases.count() == 0
    window.widget("given_name").editor.setText("Mya")
    window.widget("given_name").emit_edited()
    window.widget("birth_date").editor.setText("29 Feb 2008")
    window.widget("birth_date").emit_edited()
    assert window.state.value("birth_date") == "2008-02-29"
    window.finish()
    wait_ops(qtbot)
    assert window.finished
    assert "Saved case" in window.end.message.text()
    assert main_window.session.cases.count() == 1
    case_id = main_window.session.cases.list()[0].id
    detail = main_window.session.cases.show(case_id)
    rev = detail.latest()
    assert rev.identity["given_name"] == "Mya"
    assert rev.context["age"] == 35 and rev.context["birth_date"] == "2008-02-29"
    assert "guardian_name" not in rev.identity
    assert main_window.session.drafts.list() == []  # the draft went with the save


def test_no_consent_ends_politely_and_records_nothing(main_window, qtbot):
    window = open_form(main_window)
    answer(window, "consent_interview", "no")
    window.save_draft(force=True)
    window.next_page()
    assert window.finished
    assert "nothing has been recorded" in window.end.message.text()
    assert main_window.session.cases.count() == 0
    assert main_window.session.drafts.list() == []


def test_sensitive_section_can_be_skipped_or_deferred(main_window, qtbot):
    window = open_form(main_window)
    answer(window, "consent_interview", "yes")
    window.go_to(2)
    assert window.pages[2].key == "story" and window.chrome.skip.isVisibleTo(window)
    window.defer_page()
    assert "story" in window.deferred
    assert "to ask later" in window.chrome.where.text()
    window.go_to(2)
    window.skip_page()
    assert window.state.value("exploited") == "not_asked"
    assert "story" not in window.deferred


def test_draft_survives_the_window_being_destroyed_mid_entry(main_window, qtbot):
    FormWindow.AUTOSAVE_MS = 100
    try:
        window = open_form(main_window)
        answer(window, "consent_interview", "yes")
        window.next_page()
        window.widget("given_name").editor.setText("Somchai")
        window.widget("given_name").emit_edited()
        answer(window, "age", "41")
        qtbot.waitUntil(lambda: not window.dirty, timeout=3000)  # the autosave timer ran
    finally:
        FormWindow.AUTOSAVE_MS = 3000
    # A crash: the window goes without any closing ceremony.
    window.autosave.stop()
    window.finished = True
    window.deleteLater()
    qtbot.waitUntil(lambda: main_window.children_windows == [], timeout=3000)
    drafts = main_window.session.drafts.list()
    assert len(drafts) == 1 and drafts[0].page == 1
    page = main_window.page("drafts")
    page.refresh()
    resumed = page.resume()
    assert resumed.widget("given_name").text() == "Somchai"
    assert resumed.state.value("age") == 41
    assert resumed.pages[resumed.current].key == "person"


def test_repeat_entries_can_be_added_and_removed(main_window, qtbot):
    window = open_form(main_window)
    answer(window, "consent_interview", "yes")
    repeat = window.widget("places")
    repeat.add_entry()
    repeat.add_entry()
    repeat.entries[0][1]["place"].editor.setText("Mae Sot")
    repeat.entries[0][1]["place"].emit_edited()
    assert window.state.value("places") == [{"place": "Mae Sot"}, {}]
    repeat.remove_entry(repeat.entries[1][0])
    assert window.state.value("places") == [{"place": "Mae Sot"}]
    # Relevance inside one entry follows that entry's answers.
    entry = repeat.entries[0][1]
    assert entry["how_left"].isHidden()
    entry["forced_to_stay"].set_value("yes")
    entry["forced_to_stay"].emit_edited()
    assert not entry["how_left"].isHidden()


def test_every_field_type_survives_a_draft_round_trip(main_window, qtbot):
    window = open_form(main_window)
    answer(window, "consent_interview", "yes")
    answer(window, "interview_language", "km")
    assert window.chrome.language.currentData() == "km"  # questions follow the interview language
    window.widget("given_name").editor.setText("Sopheap")
    window.widget("given_name").emit_edited()
    answer(window, "age", "refused")
    assert window.state.value("age") == "refused"  # an answer in its own right
    assert not window.widget("age").editor.isEnabled()
    answer(window, "birth_date", "2001-04-17")
    answer(window, "arrived_at", "2024-11-02T14:30")
    answer(window, "height", "1,62")
    answer(window, "colours", ["red", "green"])
    answer(window, "has_phone", "unknown")
    window.go_to(2)
    window.widget("narrative").editor.setPlainText("A long account.\nSecond line.")
    window.widget("narrative").emit_edited()
    assert window.state.value("height") == 1.62
    assert window.state.value("arrived_at") == "2024-11-02T14:30"
    assert window.save_draft(force=True)
    draft_id = window.draft_id
    window.finished = True
    window.close()
    resumed = main_window.open_form("ui_test", draft_id=draft_id)
    values = {name: resumed.state.value(name) for name in (
        "interview_language", "given_name", "age", "birth_date", "arrived_at", "height", "colours",
        "has_phone", "narrative")}
    assert values == {"interview_language": "km", "given_name": "Sopheap", "age": "refused",
                      "birth_date": "2001-04-17", "arrived_at": "2024-11-02T14:30", "height": 1.62,
                      "colours": ["red", "green"], "has_phone": "unknown",
                      "narrative": "A long account.\nSecond line."}
    assert resumed.form_lang == "km"
    assert resumed.widget("colours").value() == ["red", "green"]
    assert resumed.widget("arrived_at").time.text() == "14:30"
    # A date that cannot be read yet is kept as typed, not lost.
    resumed.widget("birth_date").editor.setText("31/31/20")
    resumed.widget("birth_date").emit_edited()
    assert resumed.save_draft(force=True)
    again_id = resumed.draft_id
    resumed.finished = True
    resumed.close()
    again = main_window.open_form("ui_test", draft_id=again_id)
    assert again.widget("birth_date").editor.text() == "31/31/20"
    assert again.widget("birth_date").local_error()
