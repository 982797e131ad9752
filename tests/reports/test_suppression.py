"""Small-number protection: counts under the threshold never leave the screen."""

from __future__ import annotations

from tipintake.reports import Row, Table, dashboard, suppress
from tipintake.reports.tables import cells


def table(values: dict[str, int], total: int, multi: bool = False) -> Table:
    rows = tuple(Row(code, code, (n,)) for code, n in values.items())
    return Table("t", "T", ("Category", "Cases"), rows, total, multi)


def shown(t: Table) -> dict[str, int | None]:
    return {r.code: r.values[0] for r in t.rows}


def test_cells_under_the_threshold_are_hidden_and_zero_stays():
    t = suppress(table({"a": 30, "b": 20, "c": 10, "d": 1, "e": 0}, 61), threshold=11)
    assert shown(t) == {"a": 30, "b": 20, "c": None, "d": None, "e": 0}
    assert t.total == 61 and t.suppressed


def test_one_hidden_cell_is_not_left_recoverable_from_the_total():
    t = suppress(table({"a": 30, "b": 20, "c": 5}, 55), threshold=11)
    assert shown(t) == {"a": 30, "b": None, "c": None}


def test_multiple_choice_tables_need_no_second_cell():
    # Rows of a multiple-choice question do not add up to the total: nothing to subtract.
    t = suppress(table({"a": 30, "b": 20, "c": 5}, 40, multi=True), threshold=11)
    assert shown(t) == {"a": 30, "b": 20, "c": None}


def test_a_small_total_hides_the_whole_table():
    t = suppress(table({"a": 6, "b": 1}, 7), threshold=11)
    assert shown(t) == {"a": None, "b": None} and t.total is None


def test_threshold_is_configurable_on_real_figures(session):
    country = dashboard(session)["country_of_exploitation"]  # TH 4, MY 3 of 7
    assert shown(suppress(country, threshold=4)) == {"TH": None, "MY": None}
    assert shown(suppress(country, threshold=3)) == {"TH": 4, "MY": 3}
    assert shown(suppress(country, threshold=11)) == {"TH": None, "MY": None}


def test_hidden_cells_read_as_under_the_threshold():
    grid = cells(suppress(table({"a": 30, "b": 20, "c": 5}, 55), threshold=11), threshold=11)
    assert grid == [["Category", "Cases"], ["a", 30], ["b", "<11"], ["c", "<11"]]
