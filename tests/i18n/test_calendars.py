"""Thai users see and type Buddhist-Era years; records keep ISO CE dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipintake.i18n.calendars import (
    MAX_YEAR,
    MIN_YEAR,
    DateInputError,
    be_to_ce,
    ce_to_be,
    format_date,
    parse_date,
)
from tipintake.i18n.digits import to_native_digits

LANGS = ["th", "km", "my", "id", "ms", "en"]
WIDTHS = ["short", "medium", "long", "full"]
dates = st.dates(min_value=dt.date(MIN_YEAR, 1, 1), max_value=dt.date(MAX_YEAR, 12, 31))


@given(d=dates, lang=st.sampled_from(LANGS), width=st.sampled_from(WIDTHS))
def test_displayed_dates_parse_back_exactly(d, lang, width):
    assert parse_date(format_date(d, lang, width), lang) == d


@given(d=dates)
def test_thai_short_date_in_thai_digits_round_trips(d):
    shown = format_date(d, "th", "short", native_digits=True)
    assert str(ce_to_be(d.year)) not in shown  # the digits are Thai
    assert parse_date(shown, "th") == d


def test_thai_display_uses_buddhist_era():
    d = dt.date(2024, 2, 29)
    assert format_date(d, "th", "short") == "29/2/2567"
    assert format_date(d, "th", "long") == "29 กุมภาพันธ์ พ.ศ. 2567"
    assert format_date("2024-02-29", "th", "medium") == "29 ก.พ. 2567"
    assert format_date(d, "id", "long") == "29 Februari 2024"
    assert format_date(d, "my", "short") == "၂၉/၂/၂၀၂၄"


@pytest.mark.parametrize(
    "typed",
    [
        "29/2/2567",
        "29-02-2567",
        "29.2.2567",
        "29 2 2567",
        "2567-02-29",
        "๒๙/๐๒/๒๕๖๗",
        "29 ก.พ. 2567",
        "29 กุมภาพันธ์ พ.ศ. 2567",
        "29/2/2024 ค.ศ.",
        "29 Feb 2567",
    ],
)
def test_thai_input_in_be_becomes_ce(typed):
    assert parse_date(typed, "th") == dt.date(2024, 2, 29)


def test_be_2567_is_a_leap_year_and_be_2566_is_not():
    assert be_to_ce(2567) == 2024
    assert parse_date("29/2/2567", "th") == dt.date(2024, 2, 29)
    with pytest.raises(DateInputError) as err:
        parse_date("29/2/2566", "th")
    assert err.value.reason == "impossible_date"


@pytest.mark.parametrize(
    ("typed", "lang", "reason"),
    [
        ("", "th", "empty"),
        ("31/4/2567", "th", "impossible_date"),
        ("29/2/67", "th", "year_incomplete"),
        ("29/2/2024", "th", "year_out_of_range"),  # a CE year where BE is expected
        ("someday", "en", "unreadable"),
        ("12/31/1492", "en", "year_out_of_range"),
    ],
)
def test_impossible_or_unreadable_dates_give_clear_errors(typed, lang, reason):
    with pytest.raises(DateInputError) as err:
        parse_date(typed, lang)
    assert err.value.reason == reason
    assert str(err.value)
    if typed:
        assert typed not in str(err.value)  # never echo what was typed


@pytest.mark.parametrize("lang", ["km", "my", "id", "ms"])
def test_native_digits_accepted_in_dates_of_every_language(lang):
    typed = to_native_digits("29/2/2024", lang, always=True)
    assert parse_date(typed, lang) == dt.date(2024, 2, 29)


def test_english_reads_month_first_others_day_first():
    assert parse_date("2/3/2024", "en") == dt.date(2024, 2, 3)
    assert parse_date("2/3/2024", "id") == dt.date(2024, 3, 2)
