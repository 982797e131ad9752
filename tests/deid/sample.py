"""A small intake form and synthetic answers for the de-identification tests and benchmark.

Built here rather than loaded from ``forms/`` so these tests do not move when the
shipped forms change; every sensitivity, role and standard the pipeline reads appears.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from tipintake.deid.agreements import Agreement, parse_agreement
from tipintake.forms.spec import FormSpec

YNU = [{"value": v} for v in ("yes", "no", "unknown", "refused", "not_asked")]
COUNTRIES = ("TH", "KH", "MM", "ID", "MY", "LA")
PROVINCES = (("TH-10", "TH"), ("TH-50", "TH"), ("TH-20", "TH"), ("MY-01", "MY"), ("MY-14", "MY"),
             ("KH-12", "KH"), ("ID-JK", "ID"), ("MM-06", "MM"))
GENDERS = ("Feminine", "Masculine", "TransgenderFeminine", "NonSpecifiedUnknown")
MEANS = ("DebtBondage", "TakesEarnings", "PhysicalThreats", "PhysicalAbuse", "WithholdsDocuments", "Other")
EXPLOIT = ("ForcedLabour", "SexualExploitation", "ForcedMarriage", "Other")
RECRUITMENT = ("Abduction", "ThroughFriendsOrSocialEvents", "ThroughOnlineSocialNetworks", "Other")
STATUS = ("PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking")
LANGS = ("th", "km", "my", "id", "ms", "en")


def _f(name: str, type_: str, sensitivity: str = "none", role: str | None = None, **kw: Any) -> dict:
    return {"name": name, "type": type_, "sensitivity": sensitivity, "role": role, **kw}


def sample_form() -> FormSpec:
    """The test intake form (id ``intake``)."""
    fields = [
        _f("consent_interview", "yes_no_unknown", role="consent_interview", choices=YNU),
        _f("consent_share", "yes_no_unknown", role="consent_share", choices=YNU),
        _f("consent_withdrawn", "yes_no_unknown", role="consent_withdrawn", choices=YNU),
        _f("child_assent", "yes_no_unknown", role="child_assent", choices=YNU),
        _f("guardian_consent", "yes_no_unknown", role="guardian_consent", choices=YNU),
        _f("interview_language", "select_one", role="interview_language",
           choices=[{"value": v} for v in LANGS]),
        _f("registration_date", "date", "quasi_identifier", "registration_date"),
        _f("given_name", "text", "direct_identifier", "given_name"),
        _f("family_name", "text", "direct_identifier", "family_name"),
        _f("phone", "text", "direct_identifier", "phone"),
        _f("id_number", "text", "direct_identifier", "id_number"),
        _f("address", "text", "direct_identifier", "address"),
        _f("email", "text", "direct_identifier", "email"),
        _f("birth_date", "date", "quasi_identifier", "birth_date", standard={"htcds": "prs_Birthdate"}),
        _f("age", "integer", "quasi_identifier", "age"),
        _f("gender", "select_one", "quasi_identifier", "gender",
           standard={"htcds": "prs_Gender", "ctdc": "gender"},
           choices=[{"value": v} for v in GENDERS]),
        _f("citizenship", "select_one", "quasi_identifier", "citizenship",
           standard={"htcds": "prs_Citizenship", "ctdc": "citizenship"},
           choices=[{"value": c} for c in COUNTRIES]),
        _f("country_of_exploitation", "select_one", "quasi_identifier", "country_of_exploitation",
           standard={"ctdc": "CountryOfExploitation"}, choices=[{"value": c} for c in COUNTRIES]),
        _f("province_of_exploitation", "select_one", "quasi_identifier", standard={"htcds": "hte_State"},
           choices=[{"value": p, "attributes": {"country": c}} for p, c in PROVINCES]),
        _f("exploitation_date", "date", "quasi_identifier", "exploitation_date"),
        _f("referral_date", "date", "quasi_identifier", standard={"htcds": "cas_IncomingReferralDate"}),
        _f("means_of_control", "select_multiple", "sensitive",
           standard={"htcds": "vic_MethodsOfControl", "ctdc": "meansOfControl"},
           choices=[{"value": m} for m in MEANS]),
        # "Other, specify": a text answer stored with the context (declared sensitive, not free text).
        _f("means_other", "text", "sensitive", relevant="selected(${means_of_control}, 'Other')"),
        _f("exploitation_type", "select_multiple", "sensitive",
           standard={"htcds": "vic_TypeOfExploitation", "ctdc": "typeOfExploit"},
           choices=[{"value": v} for v in EXPLOIT]),
        _f("recruitment_method", "select_multiple", "sensitive",
           standard={"htcds": "vic_MethodOfRecruitment", "ctdc": "isAbduction"},
           choices=[{"value": v} for v in RECRUITMENT]),
        _f("exploitation_other", "text", "free_text"),
        _f("sold", "yes_no_unknown", "sensitive", standard={"htcds": "vic_Sold"}, choices=YNU),
        _f("trafficking_status", "select_one", "sensitive", "trafficking_status",
           standard={"htcds": "vic_TraffickingStatus"}, choices=[{"value": s} for s in STATUS]),
        _f("number_of_children", "integer", "sensitive", standard={"htcds": "prs_NumberOfChildren"}),
        _f("gps_lat", "decimal", "sensitive", standard={"htcds": "hte_Latitude"}),
        _f("narrative", "text", "free_text", "narrative"),
        _f("interviewer_code", "text", "none"),
    ]
    return FormSpec.model_validate({"id": "intake", "version": "1", "children": fields})


AGREEMENT_YAML = """\
name: {name}
title: Test hub
purpose: Research on trafficking patterns in the region.
shares: [yearOfRegistration, gender, ageBroad, majorityStatus, majorityStatusAtExploit,
  citizenship, CountryOfExploitation, meansOfControl, typeOfExploit, isAbduction, vic_Sold,
  vic_TraffickingStatus, interviewLanguage, vic_MethodsOfControl,
  prs_NumberOfChildren, cas_IncomingReferralDate, hte_State, prs_Birthdate, means_other,
  exploitation_other, given_name, narrative, phone, gps_lat, hte_Latitude, interviewer_code]
generalisation:
  date_precision: {date_precision}
  place_precision: {place_precision}
  date_shift: {{enabled: {shift}, max_days: 20}}
  k: {k}
  quasi_identifiers: [{quasi}]
  sensitive_attributes: [{sensitive}]
schedule: monthly
retention: {{period: 5 years, deletion: destroyed at the end of the period}}
contact: {{name: Data protection office, email: dpo@hub.example.org}}
recipients: [age1smcg8qsrvdqr8wkuh7r4vx7y23m90t2ts38ya7krqamvma5wwsssl0ddt4]
hub: {{url: "https://hub.example.org/api"}}
"""


def agreement(name: str = "hub-test", *, k: int = 5, date_precision: str = "year",
              place_precision: str = "country", shift: bool = False,
              quasi: str = "yearOfRegistration, gender, ageBroad, citizenship, CountryOfExploitation",
              sensitive: str = "") -> Agreement:
    """A test agreement; deliberately lists identifying fields in ``shares`` (they must still never leave)."""
    return parse_agreement(AGREEMENT_YAML.format(
        name=name, k=k, date_precision=date_precision, place_precision=place_precision,
        shift=str(shift).lower(), quasi=quasi, sensitive=sensitive))


GIVEN = ("Somchai", "สมหญิง", "សុខា", "မောင်ကျော်", "Siti", "Nurul", "Dara", "Aye")
FAMILY = ("Saetang", "แสงทอง", "ចាន់ធីតា", "ဇေယျ", "Rahman", "Binti Ali", "Sok", "Win")


def synthetic_case(rng: random.Random, *, consent: bool | None = None) -> tuple[dict, dict]:
    """(context, identity) answers for one synthetic case, split as capture would."""
    reg = date(2023, 1, 1) + timedelta(days=rng.randrange(900))
    age = rng.choice((8, 12, 15, 16, 17, 19, 22, 25, 28, 33, 41, 55)) + rng.randrange(3)
    born = reg - timedelta(days=365 * age + rng.randrange(300))
    share = consent if consent is not None else rng.random() < 0.85
    minor = age < 18
    ctx = {
        "consent_interview": "yes", "consent_share": "yes" if share else rng.choice(("no", "unknown")),
        "consent_withdrawn": "no",
        "child_assent": "yes" if minor and rng.random() < 0.8 else "not_asked",
        "guardian_consent": "yes" if minor and rng.random() < 0.8 else "not_asked",
        "interview_language": rng.choice(LANGS),
        "registration_date": reg.isoformat(), "birth_date": born.isoformat(), "age": age,
        "gender": rng.choice(GENDERS), "citizenship": rng.choice(COUNTRIES[:4]),
        "country_of_exploitation": rng.choice(("TH", "MY", "TH", "ID")),
        "province_of_exploitation": rng.choice(PROVINCES)[0],
        "exploitation_date": (reg - timedelta(days=rng.randrange(30, 700))).isoformat(),
        "referral_date": (reg + timedelta(days=rng.randrange(0, 60))).isoformat(),
        "means_of_control": rng.sample(MEANS[:-1], rng.randrange(0, 3)) or ["unknown"],
        "exploitation_type": [rng.choice(EXPLOIT)],
        "recruitment_method": [rng.choice(RECRUITMENT)],
        "sold": rng.choice(("yes", "no", "unknown")),
        "trafficking_status": rng.choice(STATUS),
        "number_of_children": rng.randrange(4),
        "gps_lat": 13.75 + rng.random(),
        "interviewer_code": f"INT-{rng.randrange(99):02d}",
    }
    phone = "08" + "".join(rng.choice("0123456789") for _ in range(8))
    ident = {
        "given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY), "phone": phone,
        "id_number": "".join(rng.choice("0123456789") for _ in range(13)),
        "address": f"{rng.randrange(1, 999)} Moo {rng.randrange(1, 12)} Sukhumvit Road",
        "email": f"person{rng.randrange(10**6)}@mail.example",
        "narrative": "I was taken to the boat by my uncle.",
        "exploitation_other": "worked on a fishing boat",
    }
    return ctx, ident
