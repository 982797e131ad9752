"""Dates per language, and the Thai Buddhist Era: shown and typed in BE, stored in CE.

Records keep ISO dates in the Common Era. Thai users read and type years in the
Buddhist Era (BE = CE + 543, the official reckoning since 1941, applied
proleptically here); neither Babel nor Qt formats it, so :func:`format_date` puts
the BE year into Babel's Thai pattern and :func:`parse_date` reads it back.

Parsing accepts what people type: native or ASCII digits; ``/``, ``-``, ``.`` or
spaces between parts; month names in the language or in English; an explicit era
(``พ.ศ.``/``BE`` or ``ค.ศ.``/``CE``). Years are always written in full, because a
two-digit year on a date of birth is ambiguous. ``parse_date(format_date(d, lang),
lang) == d`` holds for every width and language. Errors carry a reason code and a
translated sentence that never repeats what was typed.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

from babel import Locale
from babel import dates as _bdates

from tipintake.i18n import _
from tipintake.i18n.digits import to_ascii_digits, to_native_digits

__all__ = [
    "BE_OFFSET",
    "MAX_YEAR",
    "MIN_YEAR",
    "DateInputError",
    "be_to_ce",
    "ce_to_be",
    "format_date",
    "parse_date",
    "uses_buddhist_era",
]

#: Buddhist Era year minus Common Era year.
BE_OFFSET = 543
#: Accepted range of CE years: catches a CE year typed where BE was expected (or the
#: reverse) instead of storing a date five centuries off.
MIN_YEAR = 1850
MAX_YEAR = 2200

_BE_LANGUAGES = frozenset({"th"})
_WIDTHS = ("short", "medium", "long", "full")

_BE_MARKERS = ("พ.ศ.", "พ.ศ", "พศ", "b.e.", "b.e", "be")
_CE_MARKERS = ("ค.ศ.", "ค.ศ", "คศ", "c.e.", "c.e", "ce", "a.d.", "a.d", "ad")
_SEPARATORS = re.compile(r"[\s/\-.,:;]+")
_NUMBER = re.compile(r"\d+", re.ASCII)


class DateInputError(ValueError):
    """A typed date could not be read; ``reason`` is a stable code for the UI.

    The message is one sentence in the interface language and never repeats the
    typed value (a date of birth can identify someone).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def uses_buddhist_era(lang: str) -> bool:
    """True when ``lang`` shows and reads years in the Buddhist Era (Thai)."""
    return lang in _BE_LANGUAGES


def ce_to_be(year: int) -> int:
    """Buddhist Era year for a Common Era year."""
    return year + BE_OFFSET


def be_to_ce(year: int) -> int:
    """Common Era year for a Buddhist Era year."""
    return year - BE_OFFSET


def _pattern(lang: str, width: str) -> str:
    if width not in _WIDTHS:
        raise ValueError(f"unknown date width {width!r}; use one of {_WIDTHS}")
    return Locale.parse(lang).date_formats[width].pattern


def _display_pattern(lang: str, width: str, year: int) -> str:
    """Babel's pattern for ``lang`` with the year in full and, for Thai, the BE year and era."""
    out: list[tuple[str, object]] = []
    be = uses_buddhist_era(lang)
    for kind, value in _bdates.tokenize_pattern(_pattern(lang, width)):
        if kind == "field":
            char, _count = value  # type: ignore[misc]
            if char == "y" and be:
                out.append(("chars", str(ce_to_be(year))))
                continue
            if char == "y":
                # Two-digit years are ambiguous on dates of birth: always four.
                out.append(("field", ("y", 1)))
                continue
            if char == "G" and be:
                out.append(("chars", "พ.ศ."))
                continue
        out.append((kind, value))
    return _bdates.untokenize_pattern(out)


def format_date(
    value: _dt.date | str,
    lang: str,
    width: str = "medium",
    *,
    native_digits: bool | None = None,
) -> str:
    """Show a CE date (``date`` or ISO string) in ``lang``: Thai in BE, Burmese in its digits.

    ``width`` is Babel's: short, medium, long or full. ``native_digits`` forces native
    digits on (True) or off (False); None follows the locale.
    """
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    text = _bdates.format_date(value, _display_pattern(lang, width, value.year), locale=lang)
    if native_digits is False:
        return text
    return to_native_digits(text, lang, always=bool(native_digits))


def _fold(text: str) -> str:
    return to_ascii_digits(unicodedata.normalize("NFC", text)).casefold().strip()


@lru_cache(maxsize=16)
def _month_names(lang: str) -> tuple[tuple[str, int], ...]:
    """Every month name and abbreviation of ``lang`` and English, longest first."""
    names: dict[str, int] = {}
    for loc in dict.fromkeys((lang, "en")):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in _bdates.get_month_names(width, context, locale=loc).items():
                    key = _fold(name).rstrip(".")
                    if key and not key.isdigit():
                        names.setdefault(key, num)
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=16)
def _noise_words(lang: str) -> tuple[str, ...]:
    """Day names and the literal words of ``lang``'s date patterns (e.g. Thai ที่), longest first."""
    words: set[str] = set()
    for loc in dict.fromkeys((lang, "en")):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words.update(_fold(n) for n in _bdates.get_day_names(width, context, locale=loc).values())
        for width in _WIDTHS:
            for kind, value in _bdates.tokenize_pattern(_pattern(loc, width)):
                if kind == "chars":
                    words.update(w for w in _SEPARATORS.split(_fold(str(value))) if w)
        # Babel's own era names (e.g. ค.ศ.) are handled as era markers, not noise.
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


@lru_cache(maxsize=16)
def _numeric_order(lang: str) -> str:
    """The order of day, month and year in ``lang``'s short numeric dates, e.g. "dmy"."""
    order = ""
    for kind, value in _bdates.tokenize_pattern(_pattern(lang, "short")):
        if kind == "field":
            char = value[0]  # type: ignore[index]
            key = {"d": "d", "M": "m", "L": "m", "y": "y"}.get(char)
            if key and key not in order:
                order += key
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def _take_era(s: str) -> tuple[str, str | None]:
    for era, markers in (("be", _BE_MARKERS), ("ce", _CE_MARKERS)):
        for marker in markers:
            # Latin markers only as whole words (so "be" in "december" is left alone).
            if marker.isascii():
                pattern = r"(?<![a-z])" + re.escape(marker) + r"(?![a-z])"
            else:
                pattern = re.escape(marker)
            new, n = re.subn(pattern, " ", s)
            if n:
                return new, era
    return s, None


def _bad(reason: str) -> DateInputError:
    messages = {
        "empty": _("No date was entered."),
        "unreadable": _("This date could not be read. Type day, month and year, for example 29/2/2024."),
        "year_incomplete": _("Type the year in full (four digits)."),
        "year_out_of_range": _("The year is outside the accepted range. Check the era (BE or CE)."),
        "impossible_date": _("This date does not exist in the calendar."),
    }
    return DateInputError(reason, messages[reason])


def parse_date(text: str, lang: str, *, era: str | None = None) -> _dt.date:
    """Read a typed date in ``lang`` and return it as a CE ``date``.

    Thai years are read as BE unless the text says ``ค.ศ.``/``CE`` (or ``era="ce"``).
    Raises :class:`DateInputError` for empty, unreadable or impossible dates.
    """
    s = _fold(text)
    if not s:
        raise _bad("empty")
    s, marked = _take_era(s)
    era = marked or era or ("be" if uses_buddhist_era(lang) else "ce")

    month_by_name: int | None = None
    for name, num in _month_names(lang):
        if name in s:
            month_by_name = num
            s = s.replace(name, " ", 1)
            break
    for word in _noise_words(lang):
        if word in s and not word.isdigit():
            s = s.replace(word, " ")
    leftover = _NUMBER.sub(" ", s)
    if _SEPARATORS.sub("", leftover):
        raise _bad("unreadable")
    parts = _NUMBER.findall(s)

    if month_by_name is not None:
        if len(parts) != 2:
            raise _bad("unreadable")
        year_first = len(parts[0]) > 2 and len(parts[1]) <= 2
        year_s, day_s = (parts[0], parts[1]) if year_first else (parts[1], parts[0])
        month_s = str(month_by_name)
    else:
        if len(parts) != 3:
            raise _bad("unreadable")
        if len(parts[0]) > 2:  # ISO-like: year first, then month, then day
            year_s, month_s, day_s = parts
        else:
            fields = dict(zip(_numeric_order(lang), parts, strict=True))
            year_s, month_s, day_s = fields["y"], fields["m"], fields["d"]

    if len(year_s) < 4:
        raise _bad("year_incomplete")
    year = int(year_s)
    if era == "be":
        year = be_to_ce(year)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad("year_out_of_range")
    try:
        return _dt.date(year, int(month_s), int(day_s))
    except ValueError:
        raise _bad("impossible_date") from None
