"""prepare_share / record_shared on a real store: generalisation, pseudonyms, idempotence."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import text

from tests.deid.helpers import SPEC, adult, agreement, plan_for, save, save_many
from tipintake.deid.generalise import compile_profile, deidentify
from tipintake.deid.pseudonym import date_shift_days, pseudonym
from tipintake.deid.share import record_shared
from tipintake.sync.records import CaseRecord, dump_line, parse_line


def test_records_match_the_batch_format_and_carry_only_coarse_values(session):
    save_many(session, 5)
    plan = plan_for(session)
    assert len(plan.records) == 5
    for record in plan.records:
        assert isinstance(record, CaseRecord)
        assert parse_line(dump_line(record)) == record
        v = record.values
        assert v["yearOfRegistration"] == 2025 and v["ageBroad"] == "24--26"
        assert v["majorityStatus"] == "Adult" and v["gender"] == "Female"
        assert v["citizenship"] == "KH" and v["CountryOfExploitation"] == "TH"
        assert isinstance(v["cas_IncomingReferralDate"], int)  # a date: the year only
        assert v["hte_State"] in {"TH", "MY", "KH", "ID", "MM"}  # a province: the country only
        for key in ("prs_Birthdate", "given_name", "phone", "narrative", "gps_lat", "hte_Latitude",
                    "means_other", "exploitation_other", "interviewer_code"):
            assert key not in v  # listed in the agreement, yet never sent
        assert not any(isinstance(x, float) for x in v.values())


def test_year_month_and_admin1_where_the_agreement_allows(session):
    save_many(session, 5, province_of_exploitation="TH-50", referral_date="2025-04-02")
    plan = plan_for(session, agreement(date_precision="year_month", place_precision="admin1"))
    assert {r.values["hte_State"] for r in plan.records} == {"TH-50"}
    assert {r.values["cas_IncomingReferralDate"] for r in plan.records} == {"2025-04"}


def test_pseudonyms_are_stable_per_partner_and_unlinkable_across_partners(session):
    ids = save_many(session, 5)
    one, two = plan_for(session, agreement("hub-one")), plan_for(session, agreement("hub-two"))
    again = plan_for(session, agreement("hub-one"))
    assert [r.case for r in one.records] == [r.case for r in again.records]
    assert not {r.case for r in one.records} & {r.case for r in two.records}
    for record in one.records:
        assert re.fullmatch(r"p-[0-9a-f]{32}", record.case)
        assert all(cid not in record.case and cid[:8] not in record.case for cid in ids)
    with session.engine.connect() as conn:
        secrets = conn.execute(text("SELECT key FROM settings WHERE key LIKE 'deid.partner_secret.%'")).scalars().all()
    assert sorted(secrets) == ["deid.partner_secret.hub-one", "deid.partner_secret.hub-two"]


def test_only_revisions_not_yet_shared_go_into_a_plan(session):
    ids = save_many(session, 6)
    ag = agreement()
    first = plan_for(session, ag)
    record_shared(session, ag.name, first, "batch-1")
    assert plan_for(session, ag).records == []
    for cid in ids[:5]:  # k = 5 holds per batch: five updated cases make a batch
        save(session, *adult(number_of_children=3), case_id=cid)
    plan = plan_for(session, ag)
    assert {(r.revision, r.values["prs_NumberOfChildren"]) for r in plan.records} == {(2, 3)}
    before = {c: p for c, _r, p in first.ledger}
    assert sorted(plan.ledger) == sorted((cid, 2, before[cid]) for cid in ids[:5])
    record_shared(session, ag.name, plan, "batch-2")
    record_shared(session, ag.name, plan, "batch-2")  # twice is harmless
    with session.engine.connect() as conn:
        rows = conn.execute(text("SELECT revision, batch_id FROM shared_records WHERE case_id = :c "
                                 "ORDER BY revision"), {"c": ids[0]}).all()
        detail = json.loads(conn.execute(text(
            "SELECT detail FROM audit WHERE action = 'shared' ORDER BY seq DESC")).scalars().first())
    assert rows == [(1, "batch-1"), (2, "batch-2")]
    assert detail["batch_id"] == "batch-2" and detail["records"] == 5


def test_small_groups_are_generalised_then_suppressed_to_keep_k(session):
    save_many(session, 5)
    save(session, *adult(citizenship="MM"))  # alone on its citizenship: cannot reach k
    plan = plan_for(session)
    assert plan.report.suppressed_k == 1 and len(plan.records) == 5
    assert plan.report.unique_before == 1 and plan.report.k_achieved == 5


def test_date_shifting_is_per_case_deterministic_and_bounded():
    secret = b"s" * 32
    shifts = [date_shift_days(secret, f"case{i}", 20) for i in range(200)]
    assert all(-20 <= s <= 20 and s != 0 for s in shifts) and len(set(shifts)) > 10
    assert shifts == [date_shift_days(secret, f"case{i}", 20) for i in range(200)]
    assert shifts != [date_shift_days(b"t" * 32, f"case{i}", 20) for i in range(200)]
    profile = compile_profile(SPEC, agreement(date_precision="year_month", shift=True))
    ctx, ident = adult(referral_date="2025-01-05")
    out, coarse = deidentify(profile, {**ctx, **ident}, -10)
    assert out["cas_IncomingReferralDate"] == "2024-12" and coarse["cas_IncomingReferralDate"] == 2024
    assert out["ageBroad"] == "24--26"  # intervals survive the shift


def test_the_pseudonym_is_a_keyed_hash():
    assert pseudonym(b"a" * 32, "x") == pseudonym(b"a" * 32, "x") != pseudonym(b"b" * 32, "x")


def test_the_report_and_the_audit_hold_no_identity(session):
    ctx, ident = adult(given_name="Canaryname", phone="0899999999")
    save(session, ctx, ident)
    save_many(session, 5)
    plan = plan_for(session)
    with session.engine.connect() as conn:
        audit_rows = " ".join(conn.execute(text("SELECT detail FROM audit")).scalars())
    shown = json.dumps(plan.report.to_dict()) + "\n".join(plan.report.lines()) + audit_rows
    assert "Canaryname" not in shown and "0899999999" not in shown
    assert date(2000, 1, 15).isoformat() not in shown
