"""Synthetic answer sets: complete, valid, varied records about no real person.

Used by ``tipintake demo --cases N``, benchmarks and tests. Names are invented by
joining syllables in Thai, Khmer, Burmese or Latin script; phone numbers, ID numbers and
addresses are random and marked as invented; dates follow one plausible timeline per
case (birth ≤ recruitment ≤ exploitation ≤ exit ≤ registration).

Categorical answers that shape k-anonymity and reports are drawn from a small table of
invented, region-shaped weights (``synthetic_weights.yaml``): citizenship, countries of
recruitment, exploitation and address concentrate on a few countries of the region with
a long thin tail, recruitment is mostly at home, gender and exploitation types are
skewed. Uniform draws over ~250 countries made every case unique, which no real batch is.

Speed: a full generation walks the form in dependency order, evaluating relevance and
retrying a value that breaks a constraint (~0.5 ms a case). For 100k cases that is too
slow, so each form gets a pool of fully generated cases (built once, from a fixed seed),
and every call copies one and redraws the fields nothing else depends on: identifiers,
free text and unconstrained categorical answers such as gender and countries.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from tipintake.forms import values as v
from tipintake.forms.expr import Context, Expr
from tipintake.forms.program import Compiled, is_blank, normalise_result, program
from tipintake.forms.spec import MISSING_CODES, FieldType, FormField, FormSpec, Sensitivity
from tipintake.forms.validate import validate

POOL_SIZE = 512
TODAY = date(2026, 11, 1)  # fixed so that a seed always gives the same data

_SYLLABLES = {
    "th": (("สม", "ศรี", "มณี", "ประ", "วิ", "กมล", "นภา", "สุ", "จันท", "พร", "ดาว", "ทอง"),
           ("ใจ", "ชัย", "รัตน์", "พร", "ศักดิ์", "วรรณ", "เพ็ญ", "นา", "ทิพย์", "สุข")),
    "km": (("សុ", "ចាន់", "ស្រី", "ដា", "វណ្ណ", "ពិ", "សុខ", "រ័", "មុ", "ធី"),
           ("ខា", "រ៉ា", "ណា", "សី", "ភា", "លី", "នី", "ថា", "រិទ្ធ", "ម៉ៅ")),
    "my": (("အောင်", "ကျော်", "မြင့်", "သန်း", "ခိုင်", "နွယ်", "စန္ဒာ", "ဇော်", "မိုး", "သီ"),
           ("ဝင်း", "ထွန်း", "မြတ်", "လှ", "စိုး", "နိုင်", "ဦး", "ဖြူ", "ရီ", "သူ")),
    "latin": (("Sa", "De", "Bu", "Ri", "Pu", "Nu", "Ad", "Ha", "Li", "Ma", "Wi", "Yu"),
              ("ri", "wi", "di", "zal", "tri", "ra", "na", "dan", "sih", "yah", "to", "ni")),
}
_FAMILY = {
    "th": (("ศรี", "วงศ์", "ทอง", "สุข", "แก้ว", "บุญ"), ("สวัสดิ์", "ประเสริฐ", "มณีรัตน์", "ทองดี", "ใจงาม", "พานิช")),
    "km": (("ហេង", "សោម", "ជា", "ឈឹម", "ពៅ", "កែវ"), ("",)),
    "my": (("",), ("",)),  # Burmese names have no family name
    "latin": (("Wira", "Surya", "Kusuma", "Halim", "Rahm", "Sant"), ("karta", "ndi", "wati", "ani", "oso", "ika")),
}
_PHONE = {"TH": "+66", "KH": "+855", "MM": "+95", "ID": "+62", "MY": "+60", "LA": "+856", "VN": "+84"}
_STORIES = (
    "Synthetic record. The person described a job offer that turned out to be false.",
    "Synthetic record. Wages were withheld and documents were kept by the employer.",
    "Synthetic record. The person left with help from a co-worker and came to the shelter.",
)
_COUNTRY_ROLES = frozenset({"citizenship", "country_of_recruitment", "country_of_exploitation"})
WEIGHTS_FILE = "synthetic_weights.yaml"
_FREE_ROLES = frozenset({"given_name", "family_name", "other_names", "phone", "id_number", "address",
                         "email", "narrative"})


@dataclass(frozen=True)
class _CountryRule:
    """How one kind of country question is drawn (see synthetic_weights.yaml)."""

    weights: dict[str, float]
    rest: float = 0.0
    same_as: str | None = None
    same_share: float = 0.0
    routes_from: str | None = None
    routes_share: float = 0.0
    routes: dict[str, dict[str, float]] = field(default_factory=dict)  # other answer → weights


@functools.cache
def _weights() -> tuple[dict[str, _CountryRule], dict[str, dict[str, float]]]:
    """The weights table: country rules by question kind, choice weights by HTCDS element."""
    text = resources.files("tipintake.forms").joinpath(WEIGHTS_FILE).read_text("utf-8")
    data = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar as text: NO stays Norway
    countries = {
        kind: _CountryRule({c: float(w) for c, w in rule.get("weights", {}).items()},
                           float(rule.get("rest", 0)), rule.get("same_as"), float(rule.get("same_share", 0)),
                           rule.get("routes_from"), float(rule.get("routes_share", 0)),
                           {src: {c: float(w) for c, w in row.items()} for src, row in rule.get("routes", {}).items()})
        for kind, rule in data.get("countries", {}).items()
    }
    choices = {element: {c: float(w) for c, w in table.items()} for element, table in data.get("choices", {}).items()}
    return countries, choices


def _country_kind(f: FormField) -> str | None:
    """Which row of the weights table a country question follows (by role, never by name)."""
    if f.role in _COUNTRY_ROLES:
        return f.role
    if f.standard.htcds == "prs_MailingCountry":
        return "address_country"
    return None


Pick = Callable[[random.Random], str]


def _picker(options: Sequence[str], weights: Sequence[float]) -> Pick:
    """A fast weighted draw (one ``rng.random()`` and a bisection: deterministic per seed)."""
    options = tuple(options)
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    last = len(options) - 1
    return lambda rng: options[min(bisect.bisect_right(cumulative, rng.random() * total), last)]


def _country_picker(f: FormField) -> Pick | None:
    """Region-weighted draws for a country question, or None when the table does not apply."""
    kind = _country_kind(f)
    rule = _weights()[0].get(kind or "")
    if rule is None:
        return None
    if f.choices:
        offered = [c.value for c in f.choices if c.value not in MISSING_CODES]
    elif f.type is FieldType.TEXT:
        offered = list(rule.weights)
    else:
        return None
    listed = [c for c in offered if c in rule.weights]
    if not listed:
        return None  # a list of something else (provinces?): drawn like any select
    others = [c for c in offered if c not in rule.weights]
    tail = rule.rest / len(others) if others else 0.0
    return _picker(offered, [rule.weights.get(c, tail) for c in offered])


def _choice_weights(f: FormField, options: Sequence[str]) -> list[float] | None:
    table = _weights()[1].get(f.standard.htcds or "")
    return [table.get(c, 1.0) for c in options] if table else None


def _weighted_sample(rng: random.Random, options: Sequence[str], weights: Sequence[float], count: int) -> list[str]:
    """``count`` distinct options drawn by weight (without replacement)."""
    options, weights = list(options), list(weights)
    out = []
    for _i in range(min(count, len(options))):
        i = _picker(options, weights)(rng)
        at = options.index(i)
        out.append(options.pop(at))
        weights.pop(at)
        if not options or sum(weights) <= 0:
            break
    return out


@dataclass(slots=True)
class _Timeline:
    registered: date
    born: date
    recruited: date
    exploited: date
    exited: date
    age: int
    age_recruited: int
    script: str


def _years(born: date, at: date) -> int:
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _timeline(rng: random.Random) -> _Timeline:
    registered = TODAY - timedelta(days=rng.randrange(1, 1500))
    age = rng.choice((rng.randrange(9, 18), rng.randrange(18, 30), rng.randrange(18, 30), rng.randrange(30, 60)))
    born = registered - timedelta(days=age * 365 + rng.randrange(0, 360) + age // 4)
    age = _years(born, registered)
    earliest = born + timedelta(days=int(365.25 * max(6, age - 12)))
    span = max((registered - earliest).days, 1)
    recruited = earliest + timedelta(days=rng.randrange(0, span))
    exploited = min(recruited + timedelta(days=rng.randrange(0, 90)), registered)
    exited = min(exploited + timedelta(days=rng.randrange(20, 1200)), registered)
    script = rng.choice(("th", "km", "my", "latin"))
    return _Timeline(registered, born, recruited, exploited, exited, age, _years(born, recruited), script)


def _name(rng: random.Random, table: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], script: str) -> str:
    first, second = table[script]
    return rng.choice(first) + rng.choice(second)


@dataclass(slots=True)
class _Plan:
    spec: FormSpec
    units: tuple[Compiled, ...]
    free: tuple[FormField, ...] = ()
    pool: list[dict[str, Any]] = field(default_factory=list)
    redraw: tuple[tuple[str, Callable[[random.Random, str], Any]], ...] = ()
    # field, source field, share, allowed codes, per source code a draw (None: copy the source)
    linked: tuple[tuple[str, str, float, frozenset[str], dict[str, Pick] | None], ...] = ()
    given: str | None = None


_plans: dict[int, tuple[FormSpec, _Plan]] = {}


def _value(f: FormField, rng: random.Random, t: _Timeline, ctx: Context, choice_filter: Expr | None = None) -> Any:
    """One plausible answer for ``f`` (may still break a generic constraint; the caller retries)."""
    role = f.role
    if f.allow_missing and rng.random() < 0.03:
        return rng.choice(MISSING_CODES)
    if role == "registration_date":
        return t.registered.isoformat()
    if role == "birth_date":
        return t.born.isoformat() if rng.random() > 0.1 else "unknown"
    if role in ("recruitment_date", "exploitation_date", "exit_date"):
        return {"recruitment_date": t.recruited, "exploitation_date": t.exploited, "exit_date": t.exited}[role].isoformat()
    if role == "age_when_trafficked":
        return t.age_recruited
    if role == "is_minor":
        return "yes" if t.age < 18 else "no"
    if role in ("consent_interview", "child_assent", "consent_services", "consent_referral", "consent_share", "guardian_consent"):
        return "yes" if rng.random() < 0.92 else "no"
    if role == "interview_language" and f.choices:
        return {"th": "th", "km": "km", "my": "my"}.get(t.script, rng.choice(("id", "ms", "en")))
    if _country_kind(f) is not None:
        pick = _country_picker(f)
        if pick is not None:
            return pick(rng)
    if role in _FREE_ROLES or f.sensitivity in (Sensitivity.DIRECT_IDENTIFIER, Sensitivity.FREE_TEXT):
        return _free_text(f, rng, t)
    if f.is_select:
        return _select(f, rng, ctx, choice_filter)
    if f.type is FieldType.INTEGER:
        return t.age if f.name.endswith("age") else rng.randrange(0, 10)
    if f.type is FieldType.DECIMAL:
        return round(rng.uniform(0, 100), 2)
    if f.type is FieldType.DATE:
        return (t.registered + timedelta(days=rng.randrange(0, 30))).isoformat() if "referral" in f.name else (
            t.registered - timedelta(days=rng.randrange(0, 400))).isoformat()
    if f.type is FieldType.DATETIME:
        return f"{t.registered.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:00"
    if f.type is FieldType.TEXT:
        return f"Synthetic answer {rng.randrange(1000)}"
    return None


def _free_text(f: FormField, rng: random.Random, t: _Timeline) -> str | None:
    role = f.role
    if role == "given_name" or (role is None and "name" in f.name and f.type is FieldType.TEXT):
        return _name(rng, _SYLLABLES, t.script)
    if role == "family_name":
        return _name(rng, _FAMILY, t.script) or None
    if role == "other_names":
        return _name(rng, _SYLLABLES, t.script)
    if role == "phone":
        return rng.choice(tuple(_PHONE.values())) + str(rng.randrange(10_000_000, 99_999_999))
    if role == "id_number":
        return f"SYN{rng.randrange(10**8):08d}"
    if role == "address":
        return f"{rng.randrange(1, 300)} Invented Road, Synthetic District {rng.randrange(1, 40)}"
    if role == "email":
        return f"person{rng.randrange(10**6)}@example.org"
    if f.type is not FieldType.TEXT:
        return None
    return rng.choice(_STORIES)


def _select(f: FormField, rng: random.Random, ctx: Context, choice_filter: Expr | None) -> Any:
    choices = [c.value for c in f.choices or ()]
    real = [c for c in choices if c not in MISSING_CODES and c not in ("Unknown", "NonSpecifiedUnknown")]
    if choice_filter is not None:
        allowed = []
        for choice in f.choices or ():
            ctx.choice = {"name": choice.value, **choice.attributes}
            if choice_filter.truth(ctx):
                allowed.append(choice.value)
        ctx.choice = None
        real = [x for x in allowed if x not in MISSING_CODES] or allowed
    if not real:
        real = choices
    if not real:
        return None
    weights = _choice_weights(f, real)
    if f.type is FieldType.SELECT_MULTIPLE:
        if len(choices) > len(real) and rng.random() < 0.05:
            return ["unknown"] if "unknown" in choices else [rng.choice(choices)]
        count = rng.choice((1, 1, 2, 3))
        chosen = _weighted_sample(rng, real, weights, count) if weights else rng.sample(real, min(len(real), count))
        return sorted(chosen, key=real.index)
    if f.type is FieldType.YES_NO_UNKNOWN:
        return rng.choice(("yes", "no", "no", "yes", "unknown"))
    return _picker(real, weights)(rng) if weights else rng.choice(real)


def _generate(spec: FormSpec, rng: random.Random) -> dict[str, Any]:
    """One case by walking the form: relevance evaluated, constraints retried, then validated."""
    prog = program(spec)
    t = _timeline(rng)
    values: dict[str, Any] = {}
    ctx = Context(values, today=TODAY)
    for c in prog.units:
        _fill(c, values, ctx, rng, t)
    result = validate(spec, values, today=TODAY)
    if result.ok:
        return result.answers
    for key in result.errors:  # drop what still fails and is not required; keep it otherwise
        name = key.split("[", 1)[0]
        if name in values and not spec.field(name).required:
            del values[name]
    return validate(spec, values, today=TODAY).answers


def _fill(c: Compiled, values: dict[str, Any], ctx: Context, rng: random.Random, t: _Timeline) -> None:
    f = c.field
    if not all(v.to_bool(e.evaluate(ctx)) for e in c.rel):
        values.pop(f.name, None)
        return
    if c.calc is not None:
        result = normalise_result(c.calc.evaluate(ctx))
        if not is_blank(result):
            values[f.name] = result
        return
    if f.type is FieldType.NOTE:
        return
    if c.children:
        count = rng.randrange(1, 4)
        items = []
        for _i in range(count):
            inner: dict[str, Any] = dict(values)
            inner_ctx = Context(inner, today=TODAY)
            for child in c.children:
                _fill(child, inner, inner_ctx, rng, t)
            items.append({ch.field.name: inner[ch.field.name] for ch in c.children if ch.field.name in inner})
        values[f.name] = items
        return
    anchors = _date_anchors(c, values) if f.type is FieldType.DATE and c.constraint is not None else []
    for attempt in range(12):
        value = _value(f, rng, t, ctx, c.choice_filter)
        if anchors and attempt and value not in MISSING_CODES:
            # A date ruled by other dates: try close to one of them, before or after.
            anchor = anchors[attempt % len(anchors)]
            value = (anchor + timedelta(days=rng.randrange(-20, 21))).isoformat()
        if value is None:
            return
        if c.constraint is None or value in MISSING_CODES:
            break
        ctx.current = value
        ok = c.constraint.truth(ctx)
        ctx.current = ""
        if ok:
            break
    else:
        if not f.required:
            return
    values[f.name] = value


def _date_anchors(c: Compiled, values: dict[str, Any]) -> list[date]:
    found = (v.parse_date(values.get(name)) for name in sorted(c.constraint.refs) if c.constraint)
    return [d for d in found if d is not None]


def _plan(spec: FormSpec) -> _Plan:
    hit = _plans.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    prog = program(spec)
    read = set().union(*(c.reads for c in prog.by_name.values()))
    free = tuple(
        c.field for c in prog.by_name.values()
        if c.field.name not in read and prog.unit_of(c.field.name) == c.field.name and c.choice_filter is None
        and c.calc is None and not c.children
        and (c.constraint is None or c.field.role in ("phone", "email"))
        and (c.field.role in _FREE_ROLES or c.field.role in _COUNTRY_ROLES or c.field.role == "gender"
             or (c.field.is_select and c.field.role is None and c.field.type is not FieldType.YES_NO_UNKNOWN))
    )
    plan = _Plan(spec, prog.units, free, redraw=tuple((f.name, _redrawer(f)) for f in free))
    plan.linked = _links(spec, free)
    plan.given = next((f.name for f in free if f.role == "given_name"), None)
    seed_rng = random.Random(f"{spec.id}:{spec.version}")
    plan.pool = [_generate(spec, seed_rng) for _ in range(POOL_SIZE)]
    if len(_plans) > 16:  # pools are large; forms are few, but tests build many
        _plans.clear()
    _plans[id(spec)] = (spec, plan)
    return plan


def _links(spec: FormSpec, free: tuple[FormField, ...]) -> tuple[Any, ...]:
    """Country questions that follow another one's answer for a share of cases.

    ``same_as``: copy it (recruited at home); ``routes``: draw from its corridor row.
    """
    rules = _weights()[0]
    kinds = {k: f.name for f in spec.fields() if (k := _country_kind(f)) is not None}
    out: list[Any] = []
    for f in free:
        rule = rules.get(_country_kind(f) or "")
        if rule is None:
            continue
        allowed = frozenset(f.choice_values())
        if rule.same_as in kinds and rule.same_share > 0 and kinds[rule.same_as] != f.name:
            out.append((f.name, kinds[rule.same_as], rule.same_share, allowed, None))
        if rule.routes_from in kinds and rule.routes_share > 0 and kinds[rule.routes_from] != f.name:
            table = {}
            for src, row in rule.routes.items():
                codes = [c for c in row if c in allowed] if f.choices else list(row)
                if codes:
                    table[src] = _picker(codes, [row[c] for c in codes])
            out.append((f.name, kinds[rule.routes_from], rule.routes_share, allowed, table))
    return tuple(out)


def _redrawer(f: FormField) -> Callable[[random.Random, str], Any]:
    """A fast generator for a field nothing depends on (the per-case hot path)."""
    role = f.role
    if role in ("given_name", "other_names"):
        return lambda rng, script: _name(rng, _SYLLABLES, script)
    if role == "family_name":
        return lambda rng, script: _name(rng, _FAMILY, script) or None
    country = _country_picker(f)
    if country is not None:
        return lambda rng, script: country(rng)
    real = tuple(c.value for c in f.choices or () if c.value not in MISSING_CODES) or ("",)
    if f.is_select and f.type is FieldType.SELECT_ONE:
        weights = _choice_weights(f, real)
        if weights:
            pick = _picker(real, weights)
            return lambda rng, script: pick(rng)
        return lambda rng, script: real[int(rng.random() * len(real))]
    if f.type is FieldType.SELECT_MULTIPLE:
        order = {value: i for i, value in enumerate(real)}

        def several(rng: random.Random, script: str) -> list[str]:
            count = min(len(real), (1, 1, 2, 3)[int(rng.random() * 4)])
            return sorted(rng.sample(real, count), key=order.__getitem__)

        return several
    phones = tuple(_PHONE.values())
    fast: dict[str | None, Callable[[random.Random, str], Any]] = {
        "phone": lambda rng, script: phones[int(rng.random() * len(phones))] + str(10_000_000 + int(rng.random() * 89_999_999)),
        "id_number": lambda rng, script: f"SYN{int(rng.random() * 10**8):08d}",
        "address": lambda rng, script: f"{1 + int(rng.random() * 299)} Invented Road, Synthetic District {1 + int(rng.random() * 39)}",
        "email": lambda rng, script: f"person{int(rng.random() * 10**6)}@example.org",
    }
    if role in fast:
        return fast[role]
    if (f.type is FieldType.TEXT and f.sensitivity is Sensitivity.FREE_TEXT and role is None) or role == "narrative":
        return lambda rng, script: _STORIES[int(rng.random() * len(_STORIES))]
    dummy = _Timeline(TODAY, TODAY, TODAY, TODAY, TODAY, 30, 20, "latin")

    def draw(rng: random.Random, script: str) -> Any:
        dummy.script = script
        return _value(f, rng, dummy, Context({}))

    return draw


def synthetic_answers(spec: FormSpec, rng: random.Random) -> dict[str, Any]:
    """A complete, valid answer set for ``spec`` about no real person (deterministic for a seeded rng)."""
    plan = _plan(spec)
    pool = plan.pool
    case = dict(pool[int(rng.random() * len(pool))])
    if not plan.redraw:
        return case
    script = _script_of(case.get(plan.given)) if plan.given else "latin"
    for name, draw in plan.redraw:
        if name in case:
            value = draw(rng, script)
            if value is not None and value not in MISSING_CODES:
                case[name] = value
    # After every redraw, so the source answer is final: most people are recruited at home.
    for name, source, share, allowed, routes in plan.linked:
        if name in case and rng.random() < share:
            value = case.get(source)
            if routes is not None:
                pick = routes.get(value)
                value = pick(rng) if pick is not None else None
            if value in allowed or (value is not None and not allowed):
                case[name] = value
    return case


def _script_of(text: Any) -> str:
    if isinstance(text, str) and text:
        ch = ord(text[0])
        return "th" if 0x0E00 <= ch < 0x0E80 else "km" if 0x1780 <= ch < 0x1800 else "my" if 0x1000 <= ch < 0x10A0 else "latin"
    return "latin"
