"""The Drafts page names the case a follow-up draft belongs to (its reference), read through the store."""

from __future__ import annotations

from tests.ui.test_cases import add_cases
from tipintake.store.cases import CaseFilter
from tipintake.ui.drafts_view import load_drafts


def _draft(session, case_id: str | None = None) -> str:
    return session.drafts.save(form_id="ui_test", form_version="1", answers={"consent_interview": "yes"},
                               page=0, case_id=case_id)


def test_follow_up_drafts_show_their_case_reference(main_window, qtbot):
    session = main_window.session
    add_cases(session, ["Mya", "Sokha"])
    cases = {row.id: row.reference for row in session.cases.list()}
    first, second = sorted(cases)
    _draft(session)  # a new intake: no case yet
    _draft(session, first)
    _draft(session, second)
    page = main_window.page("drafts")
    calls: list[CaseFilter | None] = []
    real_list = session.cases.list

    def counting_list(flt=None, **kwargs):
        calls.append(flt)
        return real_list(flt, **kwargs)

    session.cases.list = counting_list
    try:
        rows = load_drafts(session)
        page.refresh()
    finally:
        del session.cases.list
    # One read of the case list, for just the followed-up cases, however many drafts there are.
    assert [set(f.ids) for f in calls] == [{first, second}] * 2
    assert {r.draft.case_id: r.reference for r in rows} == {None: None, first: cases[first],
                                                            second: cases[second]}
    cells = {page.table.item(row, 1).text() for row in range(page.table.rowCount())}
    assert cells == {"New case", f"Follow-up of {cases[first]}", f"Follow-up of {cases[second]}"}
    assert page.table.horizontalHeaderItem(1).text() == "Case"
    # The row still resumes its own draft, now as a follow-up of its case.
    row = next(r for r in range(page.table.rowCount()) if cases[second] in page.table.item(r, 1).text())
    page.table.selectRow(row)
    resumed = page.resume()
    assert resumed.case_id == second
    resumed.finished = True
    resumed.close()


def test_drafts_without_cases_do_not_read_the_case_list(main_window, qtbot):
    session = main_window.session
    _draft(session)
    called = []
    session.cases.list = lambda *a, **k: called.append(a) or []
    try:
        rows = load_drafts(session)
    finally:
        del session.cases.list
    assert called == [] and [r.reference for r in rows] == [None]


def test_a_case_that_cannot_be_read_is_named_as_such(main_window, qtbot):
    session = main_window.session
    add_cases(session, ["Mya"])
    case_id = session.cases.list()[0].id
    _draft(session, case_id)
    page = main_window.page("drafts")
    session.cases.list = lambda *a, **k: []  # e.g. a role that may not see the case any more
    try:
        page.refresh()
    finally:
        del session.cases.list
    assert page.table.item(0, 1).text() == "Follow-up (case not available)"
