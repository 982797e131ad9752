"""The risk step on its own: generalise, blank, suppress; l-diversity; the k and l measures."""

from __future__ import annotations

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


def test_groups_large_enough_are_never_changed():
    values = rows(6, year=2025, place="TH", ageBroad="18--20") + rows(1, year=2025, place="TH", ageBroad="48+")
    out = anonymise(values, [{} for _ in values], Q, (), k=5)
    assert all(out.values[i] is values[i] for i in range(6))


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
