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
