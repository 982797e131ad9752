"""Coercions between answer values as XPath sees them: numbers, strings, booleans, dates.

ODK/XLSForm expressions work on untyped answers: a blank is the empty string, a number
compared with a blank is NaN (so ``${age} < 18`` is false when age is unanswered), and
dates take part in arithmetic as days since 1970-01-01. These helpers give every
operator and function the same rules, and never raise on odd input.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

EPOCH = date(1970, 1, 1)
NAN = float("nan")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_NUMBER_RE = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$", re.ASCII)


def parse_date(value: object) -> date | None:
    """A date from a date, datetime, ISO string or day number; None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _DATE_RE.match(value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        try:
            return EPOCH + timedelta(days=math.floor(value))
        except OverflowError:
            return None
    return None


def parse_datetime(value: object) -> datetime | None:
    """A datetime from an ISO string or datetime; None when it is not one."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            d = parse_date(value)
            return datetime(d.year, d.month, d.day) if d else None
    return None


def to_number(value: object) -> float:
    """XPath number(): numbers as they are, numeric strings parsed, dates as day numbers, else NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        if _NUMBER_RE.match(value):
            try:
                return float(value)
            except (ValueError, OverflowError):
                return NAN
        if _DATE_RE.match(value):
            return _days(value)
        return NAN
    if isinstance(value, date):
        return _days(value)
    return NAN


def _days(value: object) -> float:
    if isinstance(value, str) and "T" in value:
        dt = parse_datetime(value)
        if dt is not None:
            if dt.tzinfo is not None:
                dt = dt.astimezone(UTC).replace(tzinfo=None)
            return (dt - datetime(1970, 1, 1)).total_seconds() / 86400.0
    if isinstance(value, datetime):
        return (value.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds() / 86400.0
    d = parse_date(value)
    return float((d - EPOCH).days) if d else NAN


def to_string(value: object) -> str:
    """XPath string(): lists space-separated (select_multiple), whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return " ".join(to_string(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return ""


def to_bool(value: object) -> bool:
    """XPath boolean(): non-empty strings and lists, non-zero numbers."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == value and value != 0
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True


def selected_values(value: object) -> list[str]:
    """The codes chosen in a select_multiple answer (a list, or XLSForm's space-separated string)."""
    if isinstance(value, list | tuple):
        return [to_string(v) for v in value]
    text = to_string(value)
    return text.split() if text else []


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def equals(a: object, b: object) -> bool:
    """XPath '=' between two values, following the type of the stronger operand."""
    if isinstance(a, bool) or isinstance(b, bool):
        return to_bool(a) == to_bool(b)
    if _is_number(a) or _is_number(b):
        return to_number(a) == to_number(b)
    if isinstance(a, date) or isinstance(b, date):
        return to_number(a) == to_number(b)
    return to_string(a) == to_string(b)


def compare(op: str, a: object, b: object) -> bool:
    """XPath relational operators: numeric (dates as days), strings only when neither is a number."""
    x, y = to_number(a), to_number(b)
    if math.isnan(x) or math.isnan(y):
        # Two non-numeric strings compare as text (ODK does so for ISO times and codes).
        if isinstance(a, str) and isinstance(b, str) and a and b and math.isnan(x) and math.isnan(y):
            x2, y2 = a, b
            return {"<": x2 < y2, "<=": x2 <= y2, ">": x2 > y2, ">=": x2 >= y2}[op]
        return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
