"""Ages and dates of a case, read from its answers by role (pure functions).

The consent gate (is this person a minor?) and de-identification (CTDC ``ageBroad`` and
majority flags) both need the age at registration, at exploitation and at entry. They
are computed as ``forms.ctdc`` computes them: a stated (or calculated) age first, else
completed years between the birth date and the event's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

AGE_BANDS = ((8, "0--8"), (17, "9--17"), (20, "18--20"), (23, "21--23"), (26, "24--26"),
             (29, "27--29"), (38, "30--38"), (47, "39--47"))
_YES = frozenset({"yes", "true", "1"})


def is_yes(value: Any) -> bool:
    """True for the answers that mean yes (a select code, a boolean or 1)."""
    if isinstance(value, str):
        return value.strip().lower() in _YES
    return value is True or (type(value) is int and value == 1)


def parse_day(value: Any) -> date | None:
    """An ISO date (or the date part of an ISO datetime), else None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def years_between(born: date, at: date) -> int | None:
    """Completed years from ``born`` to ``at`` (None when ``at`` comes first)."""
    if at < born:
        return None
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def age_band(age: int | None) -> str | None:
    """CTDC ``ageBroad`` for an age in years."""
    if age is None or age < 0 or age > 130:
        return None
    for top, band in AGE_BANDS:
        if age <= top:
            return band
    return "48+"


def majority(age: int | None) -> str | None:
    """CTDC majority code for an age in years."""
    return None if age is None or age < 0 else ("Minor" if age < 18 else "Adult")


def int_or_none(value: Any) -> int | None:
    """A whole number from an answer (int, integral float, digit string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@dataclass(frozen=True)
class Ages:
    """The ages a case's answers give, in completed years (None when unknown)."""

    at_registration: int | None
    at_exploitation: int | None
    at_entry: int | None


_DAY_CACHE: dict[str, date | None] = {}


def forget_dates() -> None:
    """Empty the date cache (it holds birth dates: kept no longer than one plan)."""
    _DAY_CACHE.clear()


def day_of(value: Any) -> date | None:
    """:func:`parse_day`, remembering each distinct string (dates repeat across cases)."""
    # Dates repeat across cases; parsing each distinct string once keeps ages() cheap.
    if value.__class__ is str:
        d = _DAY_CACHE.get(value, False)
        if d is False:
            d = parse_day(value)
            if len(_DAY_CACHE) < 20_000:
                _DAY_CACHE[value] = d
        return d  # type: ignore[return-value]
    return parse_day(value) if value is not None else None


def ages(answers: dict[str, Any], roles: dict[str, str]) -> Ages:
    """Age at registration, at exploitation and at entry, from stated ages or the birth date."""
    get = answers.get
    born = day_of(get(roles["birth_date"])) if "birth_date" in roles else None
    stated = int_or_none(get(roles["age"])) if "age" in roles else None
    when = int_or_none(get(roles["age_when_trafficked"])) if "age_when_trafficked" in roles else None
    at_reg = stated  # as forms.ctdc does: a stated (or calculated) age wins
    at_exp = at_entry = None
    if born is not None:
        if at_reg is None and "registration_date" in roles:
            reg = day_of(get(roles["registration_date"]))
            at_reg = years_between(born, reg) if reg else None
        if "exploitation_date" in roles:
            exp = day_of(get(roles["exploitation_date"]))
            at_exp = years_between(born, exp) if exp else None
        if "recruitment_date" in roles:
            rec = day_of(get(roles["recruitment_date"]))
            at_entry = years_between(born, rec) if rec else None
    return Ages(at_reg, when if at_exp is None else at_exp, when if at_entry is None else at_entry)
