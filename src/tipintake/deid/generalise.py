"""De-identification of one revision: answers in, standard elements out (pure functions).

A :class:`Profile` is compiled once per form and agreement from the fields' declared
sensitivity, standard element and role (never their names), then applied to each
case's answers by :func:`deidentify`:

- direct identifiers, free text, identity roles (names, phone, ID number, address,
  narrative) never leave; neither does any text answer without a coded role ("other,
  specify" answers are free text), a decimal, a calculation or a repeat;
- birth date or age become CTDC ``ageBroad`` and the majority flags, the registration
  date ``yearOfRegistration``; other dates become the year (year-month where allowed),
  after the case's date shift; places become the country (admin1 where allowed);
- selects become their codes (CTDC code from the choice's ``ctdc`` attribute when
  present); a multiple select with a CTDC family becomes that family's 0/1 flags;
  "unknown", "refused" and "not asked" stay distinct from "no".

Besides the values, :func:`deidentify` returns the one-step coarser value of each
element that has one (year-month → year, admin1 → country), which the risk step uses
before it suppresses a record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tipintake.deid.ages import Ages, age_band, ages, day_of, int_or_none, majority, parse_day
from tipintake.deid.agreements import Agreement
from tipintake.deid.leaks import Summary, summarise
from tipintake.deid.standard import DERIVED, ctdc_groups, wanted_columns
from tipintake.forms.ctdc import DATASOURCE
from tipintake.forms.spec import MISSING_CODES, FieldType, FormField, FormSpec, Sensitivity
from tipintake.sync.records import Value

Values = dict[str, Any]


# Roles whose answers identify the person whatever sensitivity the form declares.
IDENTITY_ROLES = frozenset({"given_name", "family_name", "other_names", "phone", "email",
                            "id_number", "address", "narrative"})
GATE_ROLES = frozenset({"consent_share", "consent_withdrawn", "child_assent", "guardian_consent"})
NAME_ROLES = frozenset({"given_name", "family_name", "other_names"})
COUNTRY_ROLES = frozenset({"citizenship", "country_of_recruitment", "country_of_exploitation"})
# Roles consumed by derived elements (age bands, majority flags, year of registration).
AGE_ROLES = frozenset({"birth_date", "age", "age_when_trafficked", "registration_date",
                       "recruitment_date", "exploitation_date"})
ROLE_ELEMENT = {"interview_language": "interviewLanguage"}  # CTDC columns: see deid.standard
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_MISSING = frozenset(MISSING_CODES)


# A step turns one answer into (values, coarser values); pure, so its results are memoised
# per distinct answer: selects, flags and dates repeat across thousands of cases.
Compute = Callable[[Any, int], tuple[Values, Values]]
Fragment = tuple[Values, Values, Summary]
_NOTHING: tuple[Values, Values] = ({}, {})
MEMO_LIMIT = 8192


@dataclass
class Profile:
    """How one form's answers become one partner's values."""

    form_id: str
    roles: dict[str, str]
    steps: list[tuple[str, bool, Compute, dict[Any, Fragment]]]  # field, uses shift, f, memo
    needle_fields: dict[str, str]  # field → kind of identifier (name, phone, id, email, address…)
    scan_text_fields: tuple[str, ...]  # text answers kept in context: scanned, never sent
    dropped: dict[str, str] = field(default_factory=dict)  # field → why it never leaves
    derived: frozenset[str] = frozenset()
    derived_memo: dict[tuple[Any, ...], tuple[Values, Summary]] = field(default_factory=dict)
    vocabulary: set[bytes] = field(default_factory=set)  # every word of every summary so far
    roles_in_identity: bool = True  # a role answer (birth date, consent) is kept with the identity


def _needle_kind(f: FormField) -> str:
    role = f.role or ""
    if role in NAME_ROLES:
        return "name"
    return {"phone": "phone", "email": "email", "id_number": "id", "address": "address"}.get(
        role, "identifier")


def compile_profile(spec: FormSpec, agreement: Agreement) -> Profile:
    """Compile the steps that turn ``spec``'s answers into ``agreement``'s values."""
    shares = frozenset(agreement.shares)
    g = agreement.generalisation
    roles = spec.roles()
    steps: list[tuple[Any, bool, Compute, dict[Any, Fragment]]] = []
    needles: dict[str, str] = {}
    scan: list[str] = []
    dropped: dict[str, str] = {}
    wanted = wanted_columns(shares)
    groups = ctdc_groups(spec, lambda f: _why_dropped(f, spec) is None, wanted, AGE_ROLES)
    feeds_ctdc = {name for names, _columns, _compute in groups for name in names}
    for f in spec.fields():
        why = _why_dropped(f, spec)
        if why is not None:
            dropped[f.name] = why
            if why == "direct identifier" or (why == "identity role" and f.role != "narrative"):
                needles[f.name] = _needle_kind(f)  # a narrative is no needle: it holds common words
            elif why == "free text" and f.sensitivity is not Sensitivity.FREE_TEXT:
                scan.append(f.name)  # kept in context: a name typed here must block the record
            continue
        if f.role in AGE_ROLES:
            if f.role != "registration_date":
                dropped[f.name] = "generalised into age bands and majority flags"
            continue
        compute = _compute(f, shares, g.date_precision, g.place_precision)
        if compute is None:
            if f.name not in feeds_ctdc:
                quasi_number = f.sensitivity is Sensitivity.QUASI_IDENTIFIER and f.type is FieldType.INTEGER
                dropped[f.name] = ("quasi-identifier without a generalisation rule" if quasi_number
                                   else "not in the agreement")
            continue
        dated = f.type in (FieldType.DATE, FieldType.DATETIME)
        steps.append((f.name, dated, compute, {}))
    for names, _columns, compute in groups:
        if len(names) == 1:  # one field: a plain step, memoised by its answer
            steps.append((names[0], False, _single(compute), {}))
        else:
            steps.append((names, False, compute, {}))
    derived = frozenset(d for d in DERIVED if d in wanted)
    gate = {name for role, name in roles.items() if role in AGE_ROLES or role in GATE_ROLES}
    in_identity = bool(gate & spec.identity_fields())
    return Profile(spec.id, roles, steps, needles, tuple(scan), dropped, derived,
                   roles_in_identity=in_identity)


def _single(compute: Compute) -> Compute:
    return lambda v, shift: compute((v,), shift)


def _why_dropped(f: FormField, spec: FormSpec) -> str | None:
    if f.type in (FieldType.NOTE, FieldType.GROUP):
        return "no answer"
    if f.type is FieldType.REPEAT or spec.repeat_of(f.name) is not None:
        return "inside a repeat"
    if f.sensitivity is Sensitivity.DIRECT_IDENTIFIER:
        return "direct identifier"
    if f.role in IDENTITY_ROLES:
        return "identity role"
    if f.sensitivity is Sensitivity.FREE_TEXT:
        return "free text"
    if f.type is FieldType.TEXT and f.role not in COUNTRY_ROLES and f.role != "interview_language":
        return "free text"  # "other, specify" and every other typed text
    if f.type is FieldType.DECIMAL:
        return "decimal"
    if f.type is FieldType.CALCULATE and f.role not in AGE_ROLES:
        return "calculation"
    return None


def _keys(f: FormField, shares: frozenset[str]) -> tuple[str | None, str | None]:
    """(role element, HTCDS-or-field key) under which the partner receives ``f`` itself.

    CTDC columns are not here: they come from the forms layer's mapping (deid.standard).
    """
    role_key = ROLE_ELEMENT.get(f.role or "")
    other = f.standard.htcds
    if other is None and f.standard.ctdc is None:
        other = f.name  # an agreement may name a form field that has no standard element
    return (role_key if role_key in shares else None, other if other in shares else None)


def _emit(keys: tuple[str | None, ...], value: Any) -> Values:
    return {k: value for k in keys if k}


def _compute(f: FormField, shares: frozenset[str], date_precision: str,
             place_precision: str) -> Compute | None:
    role_key, code_key = _keys(f, shares)
    if f.type is FieldType.SELECT_MULTIPLE:
        return _multi(f, shares, code_key)
    if role_key is None and code_key is None:
        return None
    keys = (role_key, code_key)
    if f.type in (FieldType.SELECT_ONE, FieldType.YES_NO_UNKNOWN):
        return _select(f, role_key, code_key, place_precision)
    if f.type is FieldType.TEXT:  # coded roles only (countries, languages)
        language = f.role == "interview_language"

        def coded_text(v: Any, shift: int) -> tuple[Values, Values]:
            if not isinstance(v, str):
                return _NOTHING
            v = v.strip()
            if v.lower() in _MISSING:
                return _emit(keys, v.lower()), {}
            v = v.lower() if language else v.upper()
            ok = (_LANGUAGE if language else _COUNTRY).match(v)
            return (_emit(keys, v), {}) if ok else _NOTHING
        return coded_text
    if f.type is FieldType.INTEGER:
        if f.sensitivity is Sensitivity.QUASI_IDENTIFIER:
            return None

        def integer(v: Any, shift: int) -> tuple[Values, Values]:
            if isinstance(v, str) and v in _MISSING:
                return _emit(keys, v), {}
            n = int_or_none(v)
            return (_emit(keys, n), {}) if n is not None else _NOTHING
        return integer
    if f.type in (FieldType.DATE, FieldType.DATETIME):
        def a_date(v: Any, shift: int) -> tuple[Values, Values]:
            d = parse_day(v)
            if d is None:
                return (_emit(keys, v), {}) if isinstance(v, str) and v in _MISSING else _NOTHING
            if shift:
                d += timedelta(days=shift)
            if date_precision == "year_month":
                return _emit(keys, f"{d.year:04d}-{d.month:02d}"), _emit(keys, d.year)
            return _emit(keys, d.year), {}
        return a_date
    return None


def _select(f: FormField, role_key: str | None, code_key: str | None,
            place_precision: str) -> Compute:
    by_value = {c.value: c for c in f.choices or ()}
    place = any("country" in c.attributes for c in by_value.values())

    def select(v: Any, shift: int) -> tuple[Values, Values]:
        if not isinstance(v, str):
            return _NOTHING
        if v in _MISSING:
            return _emit((role_key, code_key), v), {}
        choice = by_value.get(v)
        if choice is None:
            return _NOTHING  # an "or other" text typed in place of a code: free text, never sent
        out: Values = {}
        coarse: Values = {}
        if role_key:
            out[role_key] = v
        if code_key:
            country = choice.attributes.get("country") if place else None
            if country and place_precision == "admin1":
                out[code_key], coarse[code_key] = v, country
            else:
                out[code_key] = country or v
        return out, coarse
    return select


def _multi(f: FormField, shares: frozenset[str], code_key: str | None) -> Compute | None:
    if not code_key:
        return None
    known = frozenset(c.value for c in f.choices or () if c.value not in _MISSING)

    def multi(v: Any, shift: int) -> tuple[Values, Values]:
        if isinstance(v, str):
            v = [v] if v in _MISSING or v in known else v.split()
        if not isinstance(v, list | tuple) or not v:
            return _NOTHING
        chosen = [x for x in v if x in known]  # codes only: a typed "other" never leaves
        missing = next((x for x in v if x in _MISSING), None)
        return {code_key: chosen or ([missing] if missing else [])}, {}
    return multi


def deidentify(profile: Profile, answers: dict[str, Any], shift_days: int = 0,
               age: Ages | None = None) -> tuple[Values, Values]:
    """The partner's values for one revision, and each element's one-step coarser value."""
    out, coarse, _summaries = deidentify_summarised(profile, answers, shift_days, age)
    return out, coarse


def deidentify_summarised(profile: Profile, answers: dict[str, Any], shift_days: int = 0,
                          age: Ages | None = None) -> tuple[Values, Values, list[Summary]]:
    """:func:`deidentify`, plus the leak-scan summary of each part of the output.

    Each distinct answer is turned into values, checked and summarised once (memoised
    per profile); a batch then scans a case by its summaries (``Scanner.scan_summarised``).
    """
    out: Values = {}
    coarse: Values = {}
    summaries: list[Summary] = []
    get = answers.get
    update = out.update
    append = summaries.append
    for name, dated, compute, memo in profile.steps:
        if name.__class__ is tuple:  # a group of fields feeding CTDC columns together
            v = tuple(map(get, name))
            if v.count(None) == len(v):
                continue
            key: Any = tuple(tuple(x) if x.__class__ is list else x for x in v)
        else:
            v = get(name)
            if v is None:
                continue
            if v.__class__ is str and not dated:
                frag = memo.get(v)  # the common case: a select code seen before
                if frag is not None:
                    if frag[0]:
                        update(frag[0])
                        append(frag[2])
                        if frag[1]:
                            coarse.update(frag[1])
                    continue
                key = v
            else:
                # Other types carry their class: True == 1 and hash alike, yet mean different things.
                key = (v.__class__, tuple(v) if v.__class__ is list else v, shift_days if dated else 0)
        try:
            frag = memo.get(key)
        except TypeError:  # an unhashable answer (a repeat's rows): computed, not memoised
            key, frag = None, None
        if frag is None:
            frag = _fragment(profile, compute(v, shift_days))
            if key is not None and len(memo) < MEMO_LIMIT:
                memo[key] = frag
        if frag[0]:
            update(frag[0])
            append(frag[2])
            if frag[1]:
                coarse.update(frag[1])
    if profile.derived:
        age = age or ages(answers, profile.roles)
        reg = profile.roles.get("registration_date")
        day = day_of(get(reg)) if reg else None
        if day is not None and shift_days:
            day += timedelta(days=shift_days)
        # Ages and a year: few distinct combinations, so each is derived and summarised once.
        dkey = (age.at_registration, age.at_exploitation, age.at_entry, day.year if day else None)
        done = profile.derived_memo.get(dkey)
        if done is None:
            derived = _derive(profile, age, dkey[3])
            check_values(derived)
            done = (derived, summarise(derived))
            profile.vocabulary.update(done[1].words)
            if len(profile.derived_memo) < MEMO_LIMIT:
                profile.derived_memo[dkey] = done
        update(done[0])
        append(done[1])
    return out, coarse, summaries


def _fragment(profile: Profile, result: tuple[Values, Values]) -> Fragment:
    check_values(result[0])
    summary = summarise(result[0])
    profile.vocabulary.update(summary.words)
    return result[0], result[1], summary


_VALUES = TypeAdapter(dict[str, Value])


def check_values(values: Values) -> None:
    """Fail (without quoting any value) when values do not fit batch format v1 (no floats…)."""
    try:
        _VALUES.validate_python(values)
    except ValidationError as exc:
        where = sorted({str(e["loc"][0]) for e in exc.errors(include_input=False) if e["loc"]})
        raise RuntimeError(f"de-identified values do not fit the batch format: {', '.join(where)}") from None


def _derive(profile: Profile, age: Ages, year: int | None) -> Values:
    want = profile.derived
    out: Values = {"Datasource": DATASOURCE} if "Datasource" in want else {}
    if "ageBroad" in want:
        out["ageBroad"] = age_band(age.at_registration)
    if "majorityStatus" in want:
        out["majorityStatus"] = majority(age.at_registration)
    if "majorityStatusAtExploit" in want:
        out["majorityStatusAtExploit"] = majority(age.at_exploitation)
    if "majorityEntry" in want:
        out["majorityEntry"] = majority(age.at_entry)
    if "yearOfRegistration" in want and year is not None:
        out["yearOfRegistration"] = year
    return out
