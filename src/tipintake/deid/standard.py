"""CTDC columns for a partner, computed by the forms layer's own mapping.

``tipintake.forms.ctdc.to_ctdc_row`` owns the HTCDS → CTDC vocabulary tables (gender,
means of control, exploitation types, ISIC sections → labour types, recruiter
relations), so the hub receives the same values as the CTDC export. To keep that fast
over 100k cases it is called per *group* of fields, with only that group's answers, and
memoised per distinct answer: the groups are independent, except exploitation, labour
and sex types, which the mapping reads together. Dates and ages (``yearOfRegistration``,
``ageBroad``, majority flags) are computed here instead, after the case's date shift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tipintake.forms.ctdc import CTDC_COLUMNS, to_ctdc_row
from tipintake.forms.spec import FormField, FormSpec

DERIVED = ("yearOfRegistration", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
           "majorityEntry", "Datasource")
ROLE_COLUMN = {"gender": "gender", "citizenship": "citizenship",
               "country_of_exploitation": "CountryOfExploitation"}
_TOGETHER = ("typeOfExploit", "typeOfLabour", "typeOfSex")


def _family(prefixes: tuple[str, ...], exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(c for c in CTDC_COLUMNS if c.startswith(prefixes) and c not in exclude)


FAMILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "meansOfControl": _family(("meansOfControl",)),
    "typeOfExploit": _family(("is", "typeOfExploit"), exclude=("isAbduction",)),
    "typeOfLabour": _family(("typeOfLabour",)),
    "typeOfSex": _family(("typeOfSex",)),
    "recruiterRelation": _family(("recruiterRelation", "RecruiterRelationship")),
}


def wanted_columns(shares: frozenset[str]) -> frozenset[str]:
    """The CTDC columns an agreement's ``shares`` asks for (a family name means all its columns)."""
    wanted = {c for c in CTDC_COLUMNS if c in shares}
    for family, columns in FAMILY_COLUMNS.items():
        if family in shares:
            wanted.update(columns)
    return frozenset(wanted)


Group = tuple[tuple[str, ...], tuple[str, ...], Callable[[tuple[Any, ...], int], tuple[dict, dict]]]


def ctdc_groups(spec: FormSpec, usable: Callable[[FormField], bool], wanted: frozenset[str],
                skip_roles: frozenset[str]) -> list[Group]:
    """(field names, columns, compute) for each group of fields that feeds wanted columns."""
    together: list[str] = []
    groups: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for f in spec.fields():
        if not usable(f) or f.role in skip_roles:
            continue
        column = f.standard.ctdc or ROLE_COLUMN.get(f.role or "")
        if not column or column in DERIVED:
            continue
        if column in _TOGETHER:
            together.append(f.name)
            continue
        columns = FAMILY_COLUMNS.get(column, (column,) if column in CTDC_COLUMNS else ())
        columns = tuple(c for c in columns if c in wanted)
        if columns:
            groups.append(((f.name,), columns))
    if together:
        columns = tuple(c for fam in _TOGETHER for c in FAMILY_COLUMNS[fam] if c in wanted)
        if columns:
            groups.append((tuple(together), columns))
    return [(names, columns, _computer(spec, names, columns)) for names, columns in groups]


def _computer(spec: FormSpec, names: tuple[str, ...],
              columns: tuple[str, ...]) -> Callable[[tuple[Any, ...], int], tuple[dict, dict]]:
    def compute(values: tuple[Any, ...], shift: int) -> tuple[dict, dict]:
        row = to_ctdc_row(spec, {n: v for n, v in zip(names, values, strict=True) if v is not None})
        return {c: row.get(c) for c in columns}, {}
    return compute
