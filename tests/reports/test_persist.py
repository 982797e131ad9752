"""Report summaries saved in the encrypted store: a new session starts from them."""

from __future__ import annotations

import random

from tipintake import capture
from tipintake.forms import load_form
from tipintake.forms.synthetic import synthetic_answers
from tipintake.reports import ReportFilter, clear_cache, summaries
from tipintake.store.session import Store

PASS = "report cache passphrase"


def _add(session, rng, n):
    form = load_form("tip_intake")
    for _i in range(n):
        capture.save(session, form, synthetic_answers(form, rng))


def _by_case(session):
    return {s.case_id: s for s in summaries(session, ReportFilter())}


def test_a_new_session_starts_from_the_saved_snapshot_and_sees_later_changes(tmp_path):
    rng = random.Random(5)
    store = Store(tmp_path / "data")
    session, _ = store.init("Shelter", "admin", PASS)
    _add(session, rng, 12)
    clear_cache()
    first = _by_case(session)
    with session.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM report_cache").scalar() == 1
    _add(session, rng, 3)  # saved after the snapshot: must be summarised again
    session.lock()
    clear_cache()  # as in a new process

    again = store.unlock("admin", PASS)
    second = _by_case(again)
    assert len(second) == 15
    assert {cid: second[cid] for cid in first} == first
    again.lock()


def test_a_snapshot_from_another_format_is_ignored(tmp_path):
    rng = random.Random(6)
    store = Store(tmp_path / "data")
    session, _ = store.init("Shelter", "admin", PASS)
    _add(session, rng, 4)
    clear_cache()
    before = _by_case(session)
    with session.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE report_cache SET format = 'old', data = x'00'")
    clear_cache()
    assert _by_case(session) == before
    session.lock()
