"""The in-memory summary cache follows every save (its own store: this test writes)."""

from __future__ import annotations

from tipintake.reports import dashboard


def counts(table) -> dict[str, int]:
    return {r.code: r.values[0] for r in table.rows}


def test_a_new_revision_refreshes_the_cached_figures(session):
    assert counts(dashboard(session)["gender"])["Masculine"] == 2
    ids = session.ids
    session.cases.save(form_id="tip_intake", form_version="1.0.0", kind="tip_intake", identity={},
                       context={"registration_date": "2024-03-10", "gender": "Masculine"},
                       case_id=ids["D"])
    assert counts(dashboard(session)["gender"]) == {"Feminine": 4, "Masculine": 3}


def test_new_cases_are_counted_and_removed_ones_forgotten(session):
    from sqlalchemy import text

    before = dashboard(session).cases
    new_id, _n = session.cases.save(form_id="tip_intake", form_version="1.0.0", kind="tip_intake",
                                    identity={}, context={"registration_date": "2024-05-01", "gender": "Feminine"})
    assert dashboard(session).cases == before + 1
    session.cases.set_status(new_id, "closed")  # no new revision: nothing to re-read
    assert dashboard(session).cases == before + 1
    with session.engine.begin() as conn:  # as a purge would: the case and everything under it
        for sql in ("DELETE FROM search_docs WHERE case_id = :c", "DELETE FROM identities WHERE case_id = :c",
                    "DELETE FROM revisions WHERE case_id = :c", "DELETE FROM cases WHERE id = :c"):
            conn.execute(text(sql), {"c": new_id})
    assert dashboard(session).cases == before
