"""The consent gate and withdrawal, on a real encrypted store."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.deid.helpers import adult, agreement, plan_for, save, save_many
from tipintake.deid.consent import (
    AGE_UNKNOWN,
    MINOR_WITHOUT_GUARDIAN,
    NO_CONSENT,
    WITHDRAWN,
    withdraw_consent,
)
from tipintake.deid.share import record_shared


def _pseudonyms(plan) -> set[str]:
    return {r.case for r in plan.records}


def test_only_cases_with_consent_to_share_are_eligible(session):
    save_many(session, 5)
    save(session, *adult(consent_share="no"))
    save(session, *adult(consent_share="unknown"))
    plan = plan_for(session)
    assert plan.report.eligible == 5 and plan.report.ineligible == {NO_CONSENT: 2}
    assert len(plan.records) == 5


def test_a_minor_needs_child_assent_and_guardian_consent(session):
    minor = {"birth_date": "2010-01-01", "age": 15}
    save(session, *adult(**minor, child_assent="yes", guardian_consent="no"))
    save(session, *adult(**minor, child_assent="no", guardian_consent="yes"))
    save(session, *adult(**minor, child_assent="yes", guardian_consent="yes"))
    save(session, *adult(birth_date=None, age=None))
    plan = plan_for(session, agreement(k=2))
    assert plan.report.ineligible == {MINOR_WITHOUT_GUARDIAN: 2, AGE_UNKNOWN: 1}
    assert plan.report.eligible == 1


def test_withdrawn_consent_leaves_the_next_batch_and_notifies_every_partner_that_had_it(session):
    ids = save_many(session, 6)
    one, two, three = agreement("hub-one"), agreement("hub-two"), agreement("hub-three")
    for ag, batch in ((one, "b1"), (two, "b2")):
        plan = plan_for(session, ag)
        assert len(plan.records) == 6
        record_shared(session, ag.name, plan, batch)
    had = {ag.name: {p for c, _r, p in plan_for(session, ag).ledger} for ag in (one, two)}
    assert had == {"hub-one": set(), "hub-two": set()}  # nothing new: idempotent

    with session.engine.connect() as conn:
        sent = dict(conn.execute(text(
            "SELECT partner, pseudonym FROM shared_records WHERE case_id = :c"), {"c": ids[0]}).all())
    assert withdraw_consent(session, ids[0]) == ["hub-one", "hub-two"]

    for ag in (one, two):
        plan = plan_for(session, ag)
        assert [w.case for w in plan.withdrawals] == [sent[ag.name]]
        assert plan.records == [] and plan.report.ineligible == {WITHDRAWN: 1}
        record_shared(session, ag.name, plan, f"w-{ag.name}")
        assert plan_for(session, ag).withdrawals == []  # sent once
    third = plan_for(session, three)  # never had it: no notice, and the case is not sent
    assert third.withdrawals == [] and len(third.records) == 5

    with session.engine.connect() as conn:
        rows = conn.execute(text("SELECT partner, batch_id FROM withdrawal_notices ORDER BY partner")).all()
        detail = conn.execute(text("SELECT detail FROM audit WHERE action = 'consent_withdrawn'")).scalar()
    assert rows == [("hub-one", "w-hub-one"), ("hub-two", "w-hub-two")]
    assert json.loads(detail) == {"partners_notified": ["hub-one", "hub-two"]}


def test_closing_a_withdrawn_case_does_not_make_it_shareable_again(session):
    ids = save_many(session, 5)
    withdraw_consent(session, ids[0])
    session.cases.set_status(ids[0], "closed")
    assert plan_for(session).report.ineligible == {WITHDRAWN: 1}


def test_consent_changed_to_no_in_a_new_revision_also_sends_a_notice(session):
    ids = save_many(session, 5)
    ag = agreement()
    plan = plan_for(session, ag)
    record_shared(session, ag.name, plan, "b1")
    ctx, ident = adult(consent_share="no")
    save(session, ctx, ident, case_id=ids[2])
    plan = plan_for(session, ag)
    assert len(plan.withdrawals) == 1 and plan.records == []
    assert plan.withdrawal_ledger[0][0] == ids[2]
