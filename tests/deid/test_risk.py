"""The risk step on its own: generalise, climb the ladder, blank, suppress; l-diversity; k and l."""

from __future__ import annotations

from tipintake.deid.ladder import region_tables
from tipintake.deid.risk import anonymise, k_anonymity, l_diversity

Q = ("year", "place", "ageBroad")


def rows(n: int, **values) -> list[dict]:
    return [dict(values) for _ in range(n)]


def test_small_groups_are_generalised_before_anything_is_suppressed():
    values = rows(5, year=2025, place="TH", ageBroad="18--20") + rows(3, year="2025-04", place="TH", ageBroad="18--20")
    coarser = [{} for _ in range(5)] + [{"year": 2025} for _ in range(3)]
    out = anonymise(values, coarser, Q, (), k=5)
    assert out.suppressed_k == [] and len(out.kept) == 8
    assert out.generalised == {"year": 3} and out.k_achieved == 8 and out.classes == 1
    assert out.unique_before == 0 and out.below_k_before == 3


def test_then_the_age_band_is_blanked_then_the_record_is_suppressed():
    values = (rows(4, year=2025, place="TH", ageBroad=None) + rows(1, year=2025, place="TH", ageBroad="48+")
              + rows(1, year=2024, place="MY", ageBroad="18--20"))
    out = anonymise(values, [{} for _ in values], Q, (), k=5)
    assert sorted(out.kept) == [0, 1, 2, 3, 4] and out.suppressed_k == [5]
    assert out.values[4]["ageBroad"] is None and out.generalised == {"ageBroad": 1}
    assert k_anonymity([out.values[i] for i in out.kept], Q) == 5


def test_groups_large_enough_are_changed_only_by_a_batch_wide_recoding():
    values = rows(6, year=2025, place="TH", ageBroad="18--20") + rows(1, year=2025, place="TH", ageBroad="48+")
    out = anonymise(values, [{} for _ in values], Q, (), k=5, further=())
    assert all(out.values[i] is values[i] for i in range(6))
    # With the ladder, "18--20" and "48+" become "18+" in every record alike: nobody is dropped.
    out = anonymise(values, [{} for _ in values], Q, (), k=5)
    assert out.suppressed_k == [] and {v["ageBroad"] for v in out.values} == {"18+"}
    assert out.further == {"age_to_majority": 7} and out.generalised == {"ageBroad": 7}


C = ("yearOfRegistration", "citizenship", "ageBroad")


def test_rare_countries_go_to_their_m49_sub_region_in_every_record():
    values = (rows(6, yearOfRegistration=2025, citizenship="MM", ageBroad="18--20")
              + rows(3, yearOfRegistration=2025, citizenship="LA", ageBroad="18--20")
              + rows(2, yearOfRegistration=2025, citizenship="VN", ageBroad="18--20"))
    out = anonymise(values, [{} for _ in values], C, (), k=5)
    assert out.suppressed_k == [] and out.further == {"country_to_region": 5}
    assert [v["citizenship"] for v in out.values] == ["MM"] * 6 + ["South-eastern Asia"] * 5
    assert all(out.values[i] is values[i] for i in range(6))  # MM is common: untouched


def test_a_sub_region_still_rare_goes_to_the_region_and_useless_steps_are_not_taken():
    values = (rows(5, yearOfRegistration=2025, citizenship="MM", ageBroad="18--20")
              + rows(2, yearOfRegistration=2025, citizenship="IN", ageBroad="18--20")
              + rows(2, yearOfRegistration=2025, citizenship="CN", ageBroad="18--20")
              + rows(1, yearOfRegistration=2025, citizenship="TR", ageBroad="18--20")
              + rows(1, yearOfRegistration=2024, citizenship="US", ageBroad="48+"))
    out = anonymise(values, [{} for _ in values], C, (), k=5)
    final = [v["citizenship"] for v in out.values]
    assert final[:5] == ["MM"] * 5 and set(final[5:10]) == {"Asia"}
    assert out.suppressed_k == [10]  # alone in its year: no recoding can save it
    assert "age_to_majority" not in out.further  # every band coarsened would save no one
    assert out.values[0]["ageBroad"] == "18--20"
    assert k_anonymity([out.values[i] for i in out.kept], C) == 5


def test_ages_are_coarsened_only_above_the_suppression_limit():
    values = (rows(40, yearOfRegistration=2025, citizenship="MM", ageBroad="18--20")
              + rows(40, yearOfRegistration=2025, citizenship="MM", ageBroad="21--23")
              + rows(1, yearOfRegistration=2025, citizenship="MM", ageBroad="48+"))
    kept_detail = anonymise(values, [{} for _ in values], C, (), k=5, suppression_limit=0.05)
    assert kept_detail.suppressed_k == [80] and kept_detail.further == {}
    coarsened = anonymise(values, [{} for _ in values], C, (), k=5, suppression_limit=0.0)
    assert coarsened.suppressed_k == [] and {v["ageBroad"] for v in coarsened.values} == {"18+"}


def test_every_country_has_a_sub_region_and_every_sub_region_a_region():
    sub, region = region_tables()
    assert len(sub) == 248 and set(sub.values()) == set(region)
    assert sub["MM"] == "South-eastern Asia" and region["South-eastern Asia"] == "Asia"


def test_l_diversity_suppresses_groups_with_one_sensitive_value():
    values = (rows(5, year=2025, place="TH", ageBroad="18--20", s=1)
              + rows(3, year=2025, place="MY", ageBroad="18--20", s=1) + rows(2, year=2025, place="MY", ageBroad="18--20", s=0))
    out = anonymise(values, [{} for _ in values], Q, ("s",), k=5, l=2)
    assert out.suppressed_l == [0, 1, 2, 3, 4] and sorted(out.kept) == [5, 6, 7, 8, 9]
    assert out.l_achieved == {"s": 2}
    assert l_diversity(values, Q, "s") == 1


def test_empty_batches():
    out = anonymise([], [], Q, ("s",), k=5, l=2)
    assert out.kept == [] and out.k_achieved is None and k_anonymity([], Q) is None
