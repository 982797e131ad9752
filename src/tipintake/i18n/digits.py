"""Digits and numbers: native digits in, ASCII stored, the locale's digits shown.

Interviewers type Thai (๐-๙), Khmer (០-៩), Burmese (၀-၉) or Lao (໐-໙) digits as
often as ASCII ones. Python's ``int()`` accepts them but ``strptime``, ``re`` with
``re.ASCII`` and SQLite's ``CAST`` do not, so every input is folded to ASCII at the
edge (:func:`to_ascii_digits`) and stored that way. For display,
:func:`to_native_digits` puts a language's own digits back where CLDR says the
locale uses them by default (Burmese); Babel gives grouping and decimal marks.
"""

from __future__ import annotations

import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, numbers

__all__ = [
    "NATIVE_ZERO",
    "NumberInputError",
    "format_decimal",
    "format_integer",
    "has_native_digits",
    "parse_decimal",
    "parse_int",
    "to_ascii_digits",
    "to_native_digits",
    "wants_native_digits",
]

#: The code point of the native digit zero per language (the nine others follow it).
NATIVE_ZERO: dict[str, int] = {
    "th": 0x0E50,
    "km": 0x17E0,
    "my": 0x1040,
    "lo": 0x0ED0,
}


def _build_ascii_table() -> dict[int, str]:
    # Every decimal digit Unicode knows (category Nd): Thai, Lao, Khmer, Myanmar and
    # Myanmar Shan, Arabic-Indic, Devanagari, fullwidth... A user pasting from any
    # keyboard gets the number they meant, and no table needs maintaining by hand.
    table: dict[int, str] = {}
    for cp in range(0x80, sys.maxunicode + 1):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd":
            table[cp] = str(unicodedata.decimal(ch))
    return table


_TO_ASCII = _build_ascii_table()
_NATIVE_TABLES = {
    lang: str.maketrans({str(i): chr(zero + i) for i in range(10)})
    for lang, zero in NATIVE_ZERO.items()
}


class NumberInputError(ValueError):
    """A typed number could not be read.

    The message never repeats what was typed (it may identify someone); ``reason``
    is a stable code the UI maps to a translated sentence.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def to_ascii_digits(text: str) -> str:
    """Replace every native decimal digit (Thai, Khmer, Burmese, Lao, ...) by its ASCII digit."""
    if text.isascii():
        return text
    return text.translate(_TO_ASCII)


def has_native_digits(text: str) -> bool:
    """True when ``text`` holds at least one non-ASCII decimal digit."""
    return not text.isascii() and any(ord(ch) in _TO_ASCII for ch in text)


@lru_cache(maxsize=32)
def wants_native_digits(lang: str) -> bool:
    """True when the locale shows its own digits by default (CLDR: Burmese yes; Thai, Khmer no)."""
    if lang not in NATIVE_ZERO:
        return False
    try:
        return Locale.parse(lang).default_numbering_system != "latn"
    except (ValueError, LookupError):
        return False


def to_native_digits(text: str, lang: str, *, always: bool = False) -> str:
    """Show ASCII digits in ``lang``'s own digits where the locale wants them.

    ``always=True`` converts for any language that has native digits (a user who
    prefers Thai or Khmer digits, or a printed form that uses them).
    """
    table = _NATIVE_TABLES.get(lang)
    if table is None or not (always or wants_native_digits(lang)):
        return text
    return text.translate(table)


def format_integer(value: int, lang: str, *, grouping: bool = True) -> str:
    """Format an integer for display in ``lang`` (Babel grouping, native digits where wanted)."""
    text = numbers.format_decimal(value, locale=lang, group_separator=grouping)
    return to_native_digits(text, lang)


def format_decimal(value: Decimal | float | int, lang: str, *, places: int | None = None) -> str:
    """Format a decimal number for display in ``lang``; ``places`` fixes the fraction digits."""
    fmt = None
    if places is not None:
        fmt = "#,##0" + ("." + "0" * places if places > 0 else "")
    text = numbers.format_decimal(value, format=fmt, locale=lang)
    return to_native_digits(text, lang)


def _symbols(lang: str) -> tuple[str, str]:
    try:
        return (
            numbers.get_group_symbol(lang),
            numbers.get_decimal_symbol(lang),
        )
    except (ValueError, LookupError):
        return (",", ".")


# Spaces people put between digit groups: ordinary, no-break, narrow no-break, thin.
_GROUP_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'")


def _clean_number(text: str, lang: str) -> str:
    s = to_ascii_digits(text.strip())
    # Burmese typists often use the letter WA (ဝ) for the digit zero, which looks
    # identical; inside an otherwise numeric entry it can only mean zero.
    if "\u101d" in s:
        s = s.replace("\u101d", "0")
    s = s.replace("\u2212", "-")  # MINUS SIGN
    if not s:
        raise NumberInputError("empty", "No number was entered.")
    group, decimal = _symbols(lang)
    for sp in _GROUP_SPACES:
        s = s.replace(sp, "")
    if decimal == ",":
        s = s.replace(".", "") if group == "." else s
        s = s.replace(",", ".")
    else:
        s = s.replace(group, "") if group not in (".",) else s
        # Accept a comma as grouping where the locale groups with commas.
        s = s.replace(",", "")
    return s


def parse_int(text: str, lang: str = "en") -> int:
    """Read a typed whole number: native or ASCII digits, the locale's grouping marks."""
    s = _clean_number(text, lang)
    body = s[1:] if s[:1] in "+-" else s
    if not body.isdigit() or not body.isascii():
        raise NumberInputError("not_a_number", "This is not a whole number.")
    return int(s)


def parse_decimal(text: str, lang: str = "en") -> Decimal:
    """Read a typed decimal number: native or ASCII digits, the locale's decimal mark."""
    s = _clean_number(text, lang)
    body = s[1:] if s[:1] in "+-" else s
    if not body or not body.isascii() or body.count(".") > 1 or not body.replace(".", "").isdigit():
        raise NumberInputError("not_a_number", "This is not a number.")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the checks above
        raise NumberInputError("not_a_number", "This is not a number.") from exc
