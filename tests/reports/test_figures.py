"""Every dashboard and data-quality figure against counts made by hand from conftest.CASES."""

from __future__ import annotations

from datetime import date

import pytest

from tipintake.errors import PermissionDenied
from tipintake.reports import ReportFilter, dashboard, duplicates, quality
from tipintake.store import audit


def counts(table) -> dict[str, int]:
    return {r.code: r.values[0] for r in table.rows}


def test_cases_by_month(session):
    d = dashboard(session)
    assert d.cases == 7
    assert counts(d["cases_by_month"]) == {"2024-01": 2, "2024-02": 2, "2024-03": 3}
    assert [r.code for r in d["cases_by_month"].rows] == ["2024-01", "2024-02", "2024-03"]


def test_gender_citizenship_and_country(session):
    d = dashboard(session)
    assert counts(d["gender"]) == {"Feminine": 4, "Masculine": 2, "no_answer": 1}
    assert counts(d["citizenship"]) == {"MM": 4, "KH": 1, "TH": 1, "ID": 1}
    assert counts(d["country_of_exploitation"]) == {"TH": 4, "MY": 3}
    assert not d["gender"].multi


def test_exploitation_keeps_refused_apart_from_no(session):
    d = dashboard(session)
    assert counts(d["exploitation"]) == {"ForcedLabour": 5, "SexualExploitation": 1, "ForcedMarriage": 1,
                                         "refused": 1}
    assert d["exploitation"].multi
    assert d["exploitation"].rows[-1].code == "refused"  # reasons for no answer come last


def test_means_of_control_counts_the_latest_revision_only(session):
    assert counts(dashboard(session)["means_of_control"]) == {
        "DebtBondage": 4, "PhysicalAbuse": 1, "PhysicalThreats": 1, "FalsePromises": 1, "unknown": 1}


def test_age_bands_follow_ctdc(session):
    table = dashboard(session)["age_band"]
    assert counts(table) == {"9--17": 2, "21--23": 1, "30--38": 3, "39--47": 1}
    assert [r.code for r in table.rows] == ["9--17", "21--23", "30--38", "39--47"]
    assert table.rows[0].label == "9–17"


def test_services_and_referrals_include_follow_up_forms(session):
    d = dashboard(session)
    assert counts(d["services"]) == {"Health": 3, "Legal": 1, "Education": 1, "SocialCare": 1,
                                     "Livelihood": 1, "no_answer": 2}
    assert counts(d["referrals"]) == {"AdditionalServicesRequired": 1, "MigrationOrChangeOfLocation": 1,
                                      "no_answer": 5}


def test_filters_by_period_and_form(session):
    feb = ReportFilter(since=date(2024, 2, 1), until=date(2024, 2, 29))
    assert dashboard(session, feb).cases == 2
    assert counts(dashboard(session, feb)["country_of_exploitation"]) == {"MY": 2}
    assert dashboard(session, ReportFilter(form_id="follow_up")).cases == 1


def test_labels_are_translated_and_countries_named(session):
    d = dashboard(session)
    assert {r.code: r.label for r in d["citizenship"].rows}["MM"] == "Myanmar (Burma)"
    assert {r.code: r.label for r in d["gender"].rows}["no_answer"] == "No answer"


def test_completeness_per_question(session):
    table = quality(session).completeness
    rows = {r.code: r.values for r in table.rows}
    # asked, answered, unknown, refused, not asked, no answer
    assert rows["tip_intake:gender"] == (7, 6, 0, 0, 0, 1)
    assert rows["tip_intake:birth_date"] == (7, 5, 1, 0, 1, 0)
    assert rows["tip_intake:exploitation_types"] == (7, 6, 0, 1, 0, 0)
    assert rows["tip_intake:means_of_control"] == (7, 6, 1, 0, 0, 0)
    assert rows["follow_up:services_provided"] == (1, 1, 0, 0, 0, 0)  # asked of the one follow-up
    assert "tip_intake:given_name" not in rows  # identity is never read for completeness
    assert quality(session, ReportFilter(form_id="follow_up")).cases == 1


def test_inconsistencies_link_to_their_cases(session):
    ids = session.ids
    found = {(f.kind, f.fields): {c[0] for c in f.cases} for f in quality(session).findings}
    assert found == {
        ("dates_out_of_order", ("recruitment_date", "exploitation_date")): {ids["C"]},
        ("age_vs_birth_date", ("age_years", "birth_date")): {ids["E"]},
        ("minor_without_guardian_consent", ("guardian_consent",)): {ids["B"]},
        ("age_when_trafficked_above_age", ("age_when_trafficked",)): {ids["A"]},
    }
    finding = quality(session).findings[0]
    assert finding.cases[0][1]  # the reference people read is there too
    assert "“" in finding.message


def test_duplicates_compare_identity_inside_the_store(session):
    ids = session.ids
    groups = {frozenset(c[0] for c in f.cases) for f in duplicates(session)}
    assert groups == {frozenset({ids["A"], ids["D"]}), frozenset({ids["C"], ids["G"]})}
    with session.engine.connect() as conn:
        last = audit.recent(conn, 1)[0]
    assert last["action"] == "duplicate_check"
    assert "Somchai" not in str(last) and "0812345678" not in str(last)


def test_duplicates_need_read_identity(viewer):
    with pytest.raises(PermissionDenied):
        duplicates(viewer)
    assert dashboard(viewer).cases == 7  # figures are for every role
