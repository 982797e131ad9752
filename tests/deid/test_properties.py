"""Properties (hypothesis): nothing identifying leaves, k holds in every batch, same input same plan."""

from __future__ import annotations

import json
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.deid.helpers import SPEC, agreement, loader, plan_for, save
from tests.deid.sample import synthetic_case
from tipintake.deid.share import CaseInput, build_plan
from tipintake.i18n.normalize import fold_for_search

IDENTIFYING = ("given_name", "family_name", "phone", "id_number", "address", "email", "narrative",
               "exploitation_other")
LATIN = "abcdefghijklmnopqrstuvwxyz"
THAI = "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ"
KHMER = "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"
BURMESE = "ကခဂဃငစဆဇဈညဋဌဍဎဏတထဒဓနပဖဗဘမယရလဝသဟဠအ"
DIGITS = "0123456789๐๑๒๓๔๕๖๗๘๙០១២៣៤៥៦៧៨៩၀၁၂၃၄၅၆၇၈၉"

canary = st.one_of(
    st.text(LATIN, min_size=6, max_size=14).map(lambda s: "Zq" + s),
    st.text(THAI, min_size=4, max_size=12),
    st.text(KHMER, min_size=4, max_size=12),
    st.text(BURMESE, min_size=4, max_size=12),
    st.text(DIGITS, min_size=9, max_size=16).map(lambda s: "7" + s),
)


def _out(plan) -> str:
    return fold_for_search(json.dumps([r.values for r in plan.records], ensure_ascii=False))


def _k_holds(plan, quasi, k) -> bool:
    groups = Counter(tuple(r.values.get(q) for q in quasi) for r in plan.records)
    return all(n >= k for n in groups.values())


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(canaries=st.lists(canary, min_size=len(IDENTIFYING) + 1, max_size=len(IDENTIFYING) + 1),
       n=st.integers(5, 9), seed=st.integers(0, 10**6))
def test_canaries_in_every_identifying_field_never_leave(session, canaries, n, seed):
    rng = random.Random(seed)
    planted = []
    for _ in range(n):
        ctx, ident = synthetic_case(rng, consent=True)
        ctx.update({"birth_date": "2000-01-15", "age": 25, "registration_date": "2025-03-10"})
        for name, value in zip(IDENTIFYING, canaries, strict=False):
            ident[name] = value
        ctx["means_other"] = canaries[-1]  # "other, specify": stored with the context
        ctx["means_of_control"] = ["Other"]
        planted.append(ident)
        save(session, ctx, ident)
    plan = plan_for(session)
    out = _out(plan)
    for value in canaries:
        assert fold_for_search(value) not in out
    for ident in planted:  # the synthetic identity and free text too
        for value in ident.values():
            if isinstance(value, str) and len(value) >= 4:
                assert fold_for_search(value) not in out
    assert _k_holds(plan, plan.report.quasi_identifiers, plan.report.k)


def _inputs(seed: int, n: int) -> list[CaseInput]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ctx, ident = synthetic_case(rng)
        out.append(CaseInput(f"{seed:08x}{i:024x}", f"R{i}", "open", SPEC.id, SPEC.version,
                             1 + rng.randrange(3), ctx, ident))
    return out


plans = st.fixed_dictionaries({
    "seed": st.integers(0, 10**6), "n": st.integers(0, 300), "k": st.integers(2, 12),
    "date_precision": st.sampled_from(["year", "year_month"]),
    "place_precision": st.sampled_from(["country", "admin1"]), "shift": st.booleans(),
    "quasi": st.sampled_from([
        "yearOfRegistration, gender, ageBroad, citizenship, CountryOfExploitation",
        "yearOfRegistration, ageBroad, hte_State, cas_IncomingReferralDate",
        "gender, citizenship, majorityStatus, prs_NumberOfChildren",
    ]),
    "sensitive": st.sampled_from(["", "isSexualExploit", "isForcedLabour, vic_TraffickingStatus"]),
})


@settings(max_examples=25)
@given(p=plans)
def test_k_anonymity_holds_in_every_batch(p):
    ag = agreement(k=p["k"], date_precision=p["date_precision"], place_precision=p["place_precision"],
                   shift=p["shift"], quasi=p["quasi"], sensitive=p["sensitive"])
    plan = build_plan(_inputs(p["seed"], p["n"]), ag, b"k" * 32, forms=loader)
    quasi = ag.generalisation.quasi_identifiers
    assert _k_holds(plan, quasi, p["k"])
    assert plan.report.shared == len(plan.records) == len(plan.ledger)
    assert plan.report.k_achieved is None or plan.report.k_achieved >= p["k"]


@settings(max_examples=15)
@given(p=plans)
def test_the_same_input_gives_the_same_plan(p):
    ag = agreement(k=p["k"], date_precision=p["date_precision"], place_precision=p["place_precision"],
                   shift=p["shift"], quasi=p["quasi"], sensitive=p["sensitive"])
    inputs = _inputs(p["seed"], min(p["n"], 200))
    first = build_plan(inputs, ag, b"k" * 32, forms=loader)
    shuffled = list(inputs)
    random.Random(p["seed"]).shuffle(shuffled)
    second = build_plan(shuffled, ag, b"k" * 32, forms=loader)

    def dump(plan):
        report = plan.report.to_dict()
        report["blocked"] = sorted(map(str, report["blocked"]))
        return ([r.model_dump() for r in plan.records], plan.withdrawals, sorted(plan.ledger), report)

    assert dump(first) == dump(second)


LADDER_Q = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation")
_country = st.sampled_from(["MM", "MM", "MM", "TH", "TH", "KH", "LA", "VN", "ID", "MY", "CN", "IN",
                            "AE", "SA", "US", "NG", "FR", "unknown", None])
_row = st.fixed_dictionaries({
    "yearOfRegistration": st.sampled_from([2024, 2025]),
    "gender": st.sampled_from(["Female", "Female", "Male", None]),
    "ageBroad": st.sampled_from(["9--17", "18--20", "21--23", "30--38", "48+", None]),
    "citizenship": _country,
    "CountryOfExploitation": _country,
})


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_row, max_size=120), k=st.integers(2, 8),
       limit=st.sampled_from([0.0, 0.05, 0.5]),
       further=st.sampled_from([(), ("age_to_majority", "country_to_region"),
                                ("country_to_region", "age_to_majority"), ("country_to_region",)]))
def test_the_ladder_keeps_k_and_recodes_each_value_alike_in_the_whole_batch(rows, k, limit, further):
    from tipintake.deid.risk import anonymise

    out = anonymise(rows, [{} for _ in rows], LADDER_Q, (), k, further=further, suppression_limit=limit)
    kept = [out.values[i] for i in out.kept]
    groups = Counter(tuple(r.get(q) for q in LADDER_Q) for r in kept)
    assert all(n >= k for n in groups.values())
    assert sorted(out.kept + out.suppressed_k) == list(range(len(rows)))
    for element in ("citizenship", "CountryOfExploitation"):  # only the ladder changes countries
        became: dict = {}
        for before, after in zip(rows, out.values, strict=True):
            assert became.setdefault(before[element], after[element]) == after[element]
    # Same input in another order, same outcome per record.
    order = list(range(len(rows)))
    random.Random(len(rows)).shuffle(order)
    again = anonymise([rows[i] for i in order], [{} for _ in rows], LADDER_Q, (), k, further=further,
                      suppression_limit=limit)
    assert [again.values[j] for j in range(len(rows))] == [out.values[i] for i in order]
    assert again.further == out.further
