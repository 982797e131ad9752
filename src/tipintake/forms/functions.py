"""The fixed table of functions an XLSForm expression may call.

Each entry receives the evaluation context and its argument *nodes*, so ``if()`` and
``coalesce()`` evaluate only what they need. Only what is listed here exists: there is
no way to reach Python objects, modules or files from an expression. ``regex()`` is
bounded (pattern and subject length) so a hostile pattern cannot stall the app for long.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tipintake.forms import values as v

Fn = Callable[[Any, tuple[Any, ...]], Any]

MAX_REGEX = 400
MAX_SUBJECT = 10_000


def _ev(ctx: Any, node: Any) -> Any:
    return node.ev(ctx)


def _num(ctx: Any, node: Any) -> float:
    return v.to_number(node.ev(ctx))


def _str(ctx: Any, node: Any) -> str:
    return v.to_string(node.ev(ctx))


def _today(ctx: Any, args: tuple[Any, ...]) -> date:
    return ctx.today or date.today()


def _now(ctx: Any, args: tuple[Any, ...]) -> datetime:
    # A caller that pins today (tests, synthetic data) pins the clock too: midnight of that day.
    if ctx.now is not None:
        return ctx.now
    if ctx.today is not None:
        return datetime.combine(ctx.today, time())
    return datetime.now(UTC).replace(tzinfo=None)


def _if(ctx: Any, args: tuple[Any, ...]) -> Any:
    return _ev(ctx, args[1]) if v.to_bool(_ev(ctx, args[0])) else _ev(ctx, args[2])


def _coalesce(ctx: Any, args: tuple[Any, ...]) -> Any:
    for node in args:
        value = _ev(ctx, node)
        if v.to_string(value) != "":
            return value
    return ""


def _selected(ctx: Any, args: tuple[Any, ...]) -> bool:
    return _str(ctx, args[1]).strip() in v.selected_values(_ev(ctx, args[0]))


def _selected_at(ctx: Any, args: tuple[Any, ...]) -> str:
    items = v.selected_values(_ev(ctx, args[0]))
    i = _num(ctx, args[1])
    if math.isnan(i) or not 0 <= int(i) < len(items):
        return ""
    return items[int(i)]


def _count_selected(ctx: Any, args: tuple[Any, ...]) -> int:
    return len(v.selected_values(_ev(ctx, args[0])))


def _count(ctx: Any, args: tuple[Any, ...]) -> int:
    value = _ev(ctx, args[0])
    if isinstance(value, list):
        return len(value)
    return 0 if v.to_string(value) == "" else 1


# A group that repeats and is itself repeated ("(a+)+", "(a|aa)*") can take exponential
# time on a crafted answer; Python's re has no timeout, so such patterns are refused.
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*}]|\|)(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used by regex() (too long, invalid, nested repetition), or None."""
    if len(pattern) > MAX_REGEX:
        return "too long"
    if _NESTED_REPEAT.search(pattern):
        return "nested repetition"
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return "invalid"
    return None


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str] | None:
    if regex_problem(pattern) is not None:
        return None
    return re.compile(pattern)


def _regex(ctx: Any, args: tuple[Any, ...]) -> bool:
    subject = _str(ctx, args[0])
    pattern = _str(ctx, args[1])
    if len(pattern) > MAX_REGEX or len(subject) > MAX_SUBJECT:
        return False
    compiled = _compile(pattern)
    return bool(compiled and compiled.search(subject))


def _date(ctx: Any, args: tuple[Any, ...]) -> Any:
    d = v.parse_date(_ev(ctx, args[0]))
    return d if d is not None else ""


def _decimal_date_time(ctx: Any, args: tuple[Any, ...]) -> float:
    return _num(ctx, args[0])


_FORMATS = {"%Y": "%Y", "%y": "%y", "%m": "%m", "%n": "%-m", "%d": "%d", "%e": "%-d",
            "%H": "%H", "%M": "%M", "%S": "%S", "%b": "%b", "%a": "%a"}


def _format_date(ctx: Any, args: tuple[Any, ...]) -> str:
    value = _ev(ctx, args[0])
    d = v.parse_datetime(value) or v.parse_date(value)
    if d is None:
        return ""
    fmt = _str(ctx, args[1])
    out = []
    i = 0
    while i < len(fmt):
        token = fmt[i : i + 2]
        if token in _FORMATS:
            if token in ("%n", "%e"):
                out.append(str(d.month if token == "%n" else d.day))
            else:
                out.append(d.strftime(_FORMATS[token]))
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


def _substr(ctx: Any, args: tuple[Any, ...]) -> str:
    text = _str(ctx, args[0])
    start = _num(ctx, args[1])
    if math.isnan(start):
        return ""
    end = _num(ctx, args[2]) if len(args) > 2 else len(text)
    if math.isnan(end):
        return ""
    return text[max(int(start), 0) : max(int(end), 0)]


def _round(ctx: Any, args: tuple[Any, ...]) -> float:
    x = _num(ctx, args[0])
    places = _num(ctx, args[1]) if len(args) > 1 else 0.0
    if math.isnan(x) or math.isinf(x) or math.isnan(places):
        return x
    places = max(min(int(places), 15), -15)
    factor = 10.0**places
    return math.floor(x * factor + 0.5) / factor


def _int(ctx: Any, args: tuple[Any, ...]) -> float:
    x = _num(ctx, args[0])
    return float(math.trunc(x)) if math.isfinite(x) else x


def _pow(ctx: Any, args: tuple[Any, ...]) -> float:
    try:
        return math.pow(_num(ctx, args[0]), _num(ctx, args[1]))
    except (OverflowError, ValueError):
        return v.NAN


def _numbers(ctx: Any, args: tuple[Any, ...]) -> list[float]:
    out: list[float] = []
    for node in args:
        value = _ev(ctx, node)
        if isinstance(value, list):
            out.extend(v.to_number(x) for x in value)
        else:
            out.append(v.to_number(value))
    return out


def _min(ctx: Any, args: tuple[Any, ...]) -> float:
    nums = _numbers(ctx, args)
    return v.NAN if not nums or any(math.isnan(n) for n in nums) else min(nums)


def _max(ctx: Any, args: tuple[Any, ...]) -> float:
    nums = _numbers(ctx, args)
    return v.NAN if not nums or any(math.isnan(n) for n in nums) else max(nums)


def _sum(ctx: Any, args: tuple[Any, ...]) -> float:
    return math.fsum(_numbers(ctx, args))


def _join(ctx: Any, args: tuple[Any, ...]) -> str:
    sep = _str(ctx, args[0])
    parts: list[str] = []
    for node in args[1:]:
        value = _ev(ctx, node)
        parts.extend(v.selected_values(value) if isinstance(value, list) else [v.to_string(value)])
    return sep.join(parts)


def _boolean_from_string(ctx: Any, args: tuple[Any, ...]) -> bool:
    return _str(ctx, args[0]).strip().lower() in ("true", "1")


def _age_years(ctx: Any, args: tuple[Any, ...]) -> float:
    """Whole years from the first date to the second (today when absent); tipintake extension."""
    born = v.parse_date(_ev(ctx, args[0]))
    at = v.parse_date(_ev(ctx, args[1])) if len(args) > 1 else (ctx.today or date.today())
    if born is None or at is None:
        return v.NAN
    years = at.year - born.year - ((at.month, at.day) < (born.month, born.day))
    return float(years)


def _add_days(ctx: Any, args: tuple[Any, ...]) -> Any:
    d = v.parse_date(_ev(ctx, args[0]))
    n = _num(ctx, args[1])
    if d is None or not math.isfinite(n):
        return ""
    try:
        return d + timedelta(days=int(n))
    except OverflowError:
        return ""


def _one(f: Callable[[Any], Any]) -> Fn:
    return lambda ctx, args: f(_ev(ctx, args[0]))


def _two_str(f: Callable[[str, str], Any]) -> Fn:
    return lambda ctx, args: f(_str(ctx, args[0]), _str(ctx, args[1]))


def _num1(f: Callable[[float], float]) -> Fn:
    def call(ctx: Any, args: tuple[Any, ...]) -> float:
        x = _num(ctx, args[0])
        return float(f(x)) if math.isfinite(x) else x

    return call


# name → (implementation, least arguments, most arguments or None for any)
FUNCTIONS: dict[str, tuple[Fn, int, int | None]] = {
    "if": (_if, 3, 3),
    "coalesce": (_coalesce, 2, None),
    "selected": (_selected, 2, 2),
    "selected-at": (_selected_at, 2, 2),
    "count-selected": (_count_selected, 1, 1),
    "count": (_count, 1, 1),
    "string-length": (lambda ctx, a: len(_str(ctx, a[0])) if a else len(v.to_string(ctx.current)), 0, 1),
    "regex": (_regex, 2, 2),
    "today": (_today, 0, 0),
    "now": (_now, 0, 0),
    "date": (_date, 1, 1),
    "decimal-date-time": (_decimal_date_time, 1, 1),
    "format-date": (_format_date, 2, 2),
    "format-date-time": (_format_date, 2, 2),
    "age-years": (_age_years, 1, 2),
    "add-days": (_add_days, 2, 2),
    "not": (lambda ctx, a: not v.to_bool(_ev(ctx, a[0])), 1, 1),
    "true": (lambda ctx, a: True, 0, 0),
    "false": (lambda ctx, a: False, 0, 0),
    "boolean": (_one(v.to_bool), 1, 1),
    "boolean-from-string": (_boolean_from_string, 1, 1),
    "number": (_one(v.to_number), 1, 1),
    "string": (_one(v.to_string), 1, 1),
    "int": (_int, 1, 1),
    "round": (_round, 1, 2),
    "floor": (_num1(math.floor), 1, 1),
    "ceiling": (_num1(math.ceil), 1, 1),
    "abs": (_num1(abs), 1, 1),
    "pow": (_pow, 2, 2),
    "min": (_min, 1, None),
    "max": (_max, 1, None),
    "sum": (_sum, 1, None),
    "concat": (lambda ctx, a: "".join(_str(ctx, n) for n in a), 0, None),
    "join": (_join, 2, None),
    "contains": (_two_str(lambda s, t: t in s), 2, 2),
    "starts-with": (_two_str(lambda s, t: s.startswith(t)), 2, 2),
    "ends-with": (_two_str(lambda s, t: s.endswith(t)), 2, 2),
    "substr": (_substr, 2, 3),
    "substring-before": (_two_str(lambda s, t: s.split(t, 1)[0] if t and t in s else ""), 2, 2),
    "substring-after": (_two_str(lambda s, t: s.split(t, 1)[1] if t and t in s else ""), 2, 2),
    "normalize-space": (lambda ctx, a: " ".join(_str(ctx, a[0]).split()), 1, 1),
    "lower-case": (lambda ctx, a: _str(ctx, a[0]).lower(), 1, 1),
    "upper-case": (lambda ctx, a: _str(ctx, a[0]).upper(), 1, 1),
    "once": (lambda ctx, a: _ev(ctx, a[0]), 1, 1),
    "jr:choice-name": (lambda ctx, a: _ev(ctx, a[0]), 2, 2),
}
