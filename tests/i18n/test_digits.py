"""Native digits are accepted wherever numbers are read, and shown where the locale wants them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipintake.i18n.digits import (
    NATIVE_ZERO,
    NumberInputError,
    format_decimal,
    format_integer,
    has_native_digits,
    parse_decimal,
    parse_int,
    to_ascii_digits,
    to_native_digits,
    wants_native_digits,
)


@pytest.mark.parametrize(
    ("native", "ascii_"),
    [
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),  # Thai
        ("០១២៣៤៥៦៧៨៩", "0123456789"),  # Khmer
        ("၀၁၂၃၄၅၆၇၈၉", "0123456789"),  # Burmese
        ("໐໑໒໓໔໕໖໗໘໙", "0123456789"),  # Lao
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic
        ("อายุ ๒๕ ปี", "อายุ 25 ปี"),
    ],
)
def test_native_digits_become_ascii(native, ascii_):
    assert to_ascii_digits(native) == ascii_


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(sorted(NATIVE_ZERO)))
def test_native_digits_round_trip(n, lang):
    native = to_native_digits(str(n), lang, always=True)
    assert has_native_digits(native)
    assert to_ascii_digits(native) == str(n)
    assert parse_int(native, lang) == n


@pytest.mark.parametrize("lang", ["th", "km", "my", "id", "ms", "en"])
@given(n=st.integers(min_value=-(10**9), max_value=10**9))
def test_formatted_integers_parse_back_in_every_language(lang, n):
    assert parse_int(format_integer(n, lang), lang) == n


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("๑,๒๓๔", "th", 1234),
        ("១២៣៤", "km", 1234),
        ("၁၀ဝ", "my", 100),  # letter WA typed for zero
        ("1.234", "id", 1234),  # Indonesian groups with dots
        (" 42 ", "ms", 42),
    ],
)
def test_parse_int_accepts_what_people_type(text, lang, expected):
    assert parse_int(text, lang) == expected


def test_parse_decimal_follows_the_locale_decimal_mark():
    assert parse_decimal("๑,๒๓๔.๕", "th") == Decimal("1234.5")
    assert parse_decimal("1.234,5", "id") == Decimal("1234.5")
    assert format_decimal(Decimal("1234.5"), "id", places=2) == "1.234,50"


@pytest.mark.parametrize("bad", ["", "abc", "12a", "1.2.3", "--1"])
def test_non_numbers_are_refused_without_echoing_the_input(bad):
    with pytest.raises(NumberInputError) as err:
        parse_decimal(bad, "en")
    assert not bad or bad not in str(err.value)


def test_burmese_shows_its_own_digits_thai_and_khmer_follow_cldr():
    assert wants_native_digits("my")
    assert not wants_native_digits("th") and not wants_native_digits("km")
    assert format_integer(1234567, "my") == "၁,၂၃၄,၅၆၇"
    assert format_integer(1234567, "th") == "1,234,567"
    assert to_native_digits("2567", "th", always=True) == "๒๕๖๗"
    assert to_native_digits("12", "en", always=True) == "12"
