"""The leak scan: an "other, specify" answer holding the person's identity blocks the record."""

from __future__ import annotations

import json

import pytest

from tests.deid.helpers import adult, agreement, plan_for, save, save_many
from tipintake.deid.leaks import pattern_kind

UNICODE_NAME = "မောင်ကျော်ဇေယျ"
ZAWGYI_NAME = "ေမာင္ေက်ာ္ေဇယ်"  # the same name typed in Zawgyi


def _blocked(session, **overrides):
    save_many(session, 5)
    save(session, *adult(means_of_control=["Other"], **overrides))
    plan = plan_for(session, agreement())
    return plan


@pytest.mark.parametrize("identity,other", [
    ({"given_name": "Siti"}, "Siti's uncle kept her passport"),
    ({"given_name": "สมหญิง", "family_name": "แสงทอง"}, "นายจ้างยึดบัตรของสมหญิงไว้"),
    ({"given_name": UNICODE_NAME}, f"ပွဲစား {ZAWGYI_NAME} က"),  # name in Unicode, answer in Zawgyi
    ({"given_name": "ចាន់ធីតា"}, "មេការ ចាន់ធីតា"),
    ({"phone": "0812345678"}, "boss calls +66 81 234 5678"),
    ({"id_number": "1234567890123"}, "card ๑๒๓๔๕๖๗๘๙๐๑๒๓ kept"),  # Thai digits
    ({"address": "12 Moo 3 Mae Sot"}, "lived at 12 moo 3 mae sot"),
])
def test_other_specify_with_the_persons_identity_is_blocked(session, identity, other):
    plan = _blocked(session, means_other=other, **identity)
    report = plan.report
    assert len(report.blocked) == 1 and len(plan.records) == 5
    blocked = report.blocked[0]
    assert blocked.field == "means_other"
    shown = json.dumps(report.to_dict(), ensure_ascii=False) + "\n".join(report.lines())
    for value in (other, *identity.values()):
        assert value not in shown  # the reason names the field, never the value


def test_a_zawgyi_original_of_the_name_blocks_a_unicode_answer(session):
    ctx, ident = adult(means_of_control=["Other"], means_other=f"ပွဲစား {UNICODE_NAME} က")
    ident["given_name"] = "Maung"
    ident["_zawgyi_originals"] = {"given_name": "ေမာင္ေက်ာ္ေဇယ်"}
    save_many(session, 5)
    save(session, ctx, ident)
    assert len(plan_for(session).report.blocked) == 1


def test_a_name_inside_a_longer_word_is_not_a_hit(session):
    plan = _blocked(session, given_name="Ann", means_other="Annual contract, no wages")
    assert plan.report.blocked == [] and len(plan.records) == 6


@pytest.mark.parametrize("text,kind", [
    ("id 1-2345-67890-12-3", "th_id"),
    ("nik 3174012345678901", "id_nik"),
    ("mykad 850101-14-5678", "my_mykad"),
    ("nrc 12/abcde(n)123456", "mm_nrc"),
    ("၁၂/ဥကတ(နိုင်)၁၂၃၄၅၆", "mm_nrc"),
    ("khmer id 010123456", "kh_id"),
    ("passport ab1234567", "passport"),
    ("call +855 12 345 678", "phone"),
    ("write to someone@example.org", "email"),
])
def test_identifier_patterns_of_the_region(text, kind):
    from tipintake.i18n.normalize import fold_for_search

    assert pattern_kind(fold_for_search(text)) == kind


@pytest.mark.parametrize("text", ["2019-2020", "18--20", "worked 12 hours a day", "paid 3000 baht"])
def test_ordinary_numbers_are_not_identifiers(text):
    assert pattern_kind(text) is None


def test_a_pattern_in_other_specify_blocks_the_record(session):
    plan = _blocked(session, means_other="broker's phone 089 123 4567")
    assert [b.field for b in plan.report.blocked] == ["means_other"]
    assert "phone" in plan.report.blocked[0].reason
