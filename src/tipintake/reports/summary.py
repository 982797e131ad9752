"""A small per-case summary, computed in one pass over the latest revision of each form.

Every figure (dashboard and data quality) is counted from these summaries, so the
answers' JSON is read and parsed once per revision. Summaries hold no identity (the
context part only) and live in process memory, never on disk: a cache keyed by store
file and case, checked against the case's revision count, so a refresh reads only new
or changed cases. ``clear_cache()`` forgets them (the app calls it when it locks).
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from sys import intern
from typing import Any

from sqlalchemy import text

from tipintake.forms.ctdc import age_band
from tipintake.forms.spec import MISSING_CODES
from tipintake.forms.values import parse_date
from tipintake.reports.plan import DATE_ORDER, DIMENSIONS, FormPlan, plan_for
from tipintake.store.session import Session

Progress = Callable[[int, int], None]

NO_ANSWER = "no_answer"
_MISSING = frozenset(MISSING_CODES)
_PROGRESS_EVERY = 5000


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which cases a report covers: a registration period (inclusive) and a form."""

    since: date | None = None
    until: date | None = None
    form_id: str | None = None

    def keeps(self, s: CaseSummary) -> bool:
        """Whether the summary ``s`` falls inside the filter."""
        if self.form_id and self.form_id not in s.forms:
            return False
        if self.since and s.registered < self.since.isoformat():
            return False
        return not (self.until and s.registered > self.until.isoformat())


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """What reports need to know about one case (no identity, no free text)."""

    case_id: str
    reference: str
    form_id: str
    forms: tuple[str, ...]  # forms with at least one revision for this case
    registered: str  # ISO date: the registration date answered, else the day the case was created
    age: int | None
    facts: tuple[str, ...]  # fact_key(figure, code): month, age band, every dimension's codes
    gaps: tuple[str, ...]  # gap_key(form, field, unknown|refused|not_asked|no_answer)
    issues: tuple[tuple[str, tuple[str, ...]], ...]  # (inconsistency kind, fields concerned)

    @property
    def age_band(self) -> str | None:
        """The CTDC ``ageBroad`` band."""
        return age_band(self.age)


def _status(value: Any) -> str | None:
    """None when answered; else why not (a missing code or ``no_answer``)."""
    if value is None or value == "" or value == []:
        return NO_ANSWER
    if isinstance(value, str):
        return value if value in _MISSING else None
    if isinstance(value, list):
        for item in value:
            if item in _MISSING:
                return item
    return None


def _codes(value: Any) -> tuple[str, ...]:
    # Interned: the same code is then one object in every summary, its hash computed
    # once, which makes the Counter passes over 100k cases several times faster.
    status = _status(value)
    if status is not None:
        return (status,)
    if isinstance(value, list):
        return tuple(intern(str(v)) for v in value)
    return (intern(str(value)),)


_gap_keys: dict[tuple[str, str, str], str] = {}


def gap_key(form_id: str, name: str, status: str) -> str:
    """One shared string per (form, field, reason): cheap to count, split by ``split_gap``."""
    key = (form_id, name, status)
    found = _gap_keys.get(key)
    if found is None:
        found = _gap_keys.setdefault(key, intern(f"{form_id}\x1f{name}\x1f{status}"))
    return found


_fact_keys: dict[str, dict[str, str]] = {}


class _AbsentKeys(dict):
    """Field name → gap key for "no answer" in one form, filled on first use of each name."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id

    def __missing__(self, name: str) -> str:
        found = self[name] = gap_key(self.form_id, name, NO_ANSWER)
        return found


_absent_keys: dict[str, _AbsentKeys] = {}


def fact_key(figure: str, code: str) -> str:
    """One shared string per (figure, code), e.g. ("gender", "Feminine")."""
    table = _fact_keys.get(figure)
    if table is None:
        table = _fact_keys.setdefault(figure, {})
    found = table.get(code)
    if found is None:
        found = table.setdefault(code, gap_key(figure, code, ""))
    return found


def _absent(form_id: str) -> _AbsentKeys:
    """The "no answer" gap keys of one form."""
    table = _absent_keys.get(form_id)
    if table is None:
        table = _absent_keys.setdefault(form_id, _AbsentKeys(form_id))
    return table


def split_gap(key: str) -> tuple[str, str, str]:
    """(form, field, reason) of a ``gap_key``."""
    form_id, name, status = key.split("\x1f")
    return form_id, name, status


def _merge(found: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Codes from several forms: every real answer once; else the first form's reason."""
    real = [c for codes in found for c in codes if c not in _MISSING and c != NO_ANSWER]
    if real:
        return tuple(dict.fromkeys(real))
    return found[0] if found else ()


def _values(ctx: dict[str, Any], sources: tuple[tuple[str, str | None], ...]) -> list[Any]:
    """The answers of the given fields, one per repeat entry for fields inside a repeat."""
    out = []
    for name, repeat in sources:
        if repeat is None:
            out.append(ctx.get(name))
            continue
        entries = ctx.get(repeat)
        if isinstance(entries, list) and entries:
            out.extend(e.get(name) for e in entries if isinstance(e, dict))
        else:
            out.append(None)
    return out


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or _status(value) is not None:
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    """A date from an answer; ISO strings (what the store holds) take the C fast path."""
    if value.__class__ is str and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return parse_date(value)


def _years(born: date, at: date) -> int:
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _issues(plan: FormPlan, ctx: dict[str, Any], age: int | None, today: str,
            dates: dict[str, date]) -> list[tuple[str, tuple[str, ...]]]:
    roles, found = plan.roles, []
    dated = [(roles[role], dates[role]) for role in DATE_ORDER if role in dates]
    for (a, da), (b, db) in zip(dated, dated[1:], strict=False):
        if db < da:
            found.append(("dates_out_of_order", (a, b)))
    reg, born = dates.get("registration_date"), dates.get("birth_date")
    if reg is not None and reg.isoformat() > today:
        found.append(("date_in_future", (roles["registration_date"],)))
    stated = _int(ctx.get(roles.get("age", "")))
    if born and reg and stated is not None and reg >= born and abs(_years(born, reg) - stated) > 1:
        found.append(("age_vs_birth_date", (roles["age"], roles["birth_date"])))
    at_trafficking = _int(ctx.get(roles.get("age_when_trafficked", "")))
    if age is not None and at_trafficking is not None and at_trafficking > age:
        found.append(("age_when_trafficked_above_age", (roles["age_when_trafficked"],)))
    minor = (age is not None and age < 18) or ctx.get(roles.get("is_minor", "")) == "yes"
    guardian = roles.get("guardian_consent")
    if minor and guardian and ctx.get(guardian) not in ("yes", "not_possible"):
        found.append(("minor_without_guardian_consent", (guardian,)))
    return found


def summarise(case_id: str, reference: str, form_id: str, created: str,
              latest: dict[str, dict[str, Any]], today: str | None = None) -> CaseSummary:
    """The summary of one case from the latest context of each of its forms."""
    today = today or date.today().isoformat()
    main_plan = plan_for(form_id)
    main = latest.get(form_id, {})
    registered, age = created[:10], None
    facts: list[str] = []
    issues: list[tuple[str, tuple[str, ...]]] = []
    if main_plan is not None:
        roles = main_plan.roles
        dates = {role: d for role in DATE_ORDER
                 if (name := roles.get(role)) and (d := _date(main.get(name))) is not None}
        reg, born = dates.get("registration_date"), dates.get("birth_date")
        registered = reg.isoformat() if reg else registered
        age = _int(main.get(roles.get("age", "")))
        if age is None and born and reg and reg >= born:
            age = _years(born, reg)
        issues = _issues(main_plan, main, age, today, dates)
    gaps: list[str] = []
    plans = {fid: plan_for(fid) for fid in latest}
    ordered = sorted(latest.items(), key=lambda item: item[0] != form_id)  # the case's own form first
    for d in DIMENSIONS:
        if not d.all_forms:
            # One field of the case's own form: the common, fast case.
            src = main_plan.sources.get(d.key) if main_plan is not None else None
            if src and src[0][1] is None:
                value = main.get(src[0][0])
                if value.__class__ is str and value and value not in _MISSING:
                    facts.append(fact_key(d.key, value))
                else:
                    facts.extend(fact_key(d.key, c) for c in _codes(value))
                continue
        forms = ordered if d.all_forms else ((form_id, main),)
        found = [_codes(value) for fid, ctx in forms if (plan := plans.get(fid)) is not None
                 for value in _values(ctx, plan.sources.get(d.key, ()))]
        facts.extend(fact_key(d.key, c) for c in _merge(found))
    for fid, ctx in latest.items():
        plan = plans[fid]
        if plan is None:
            continue
        quality = plan.quality_set
        gaps.extend(map(_absent(fid).__getitem__, quality.difference(ctx)))
        for name, value in ctx.items():
            cls = value.__class__
            if (cls is str and value and value not in _MISSING) or cls is int or name not in quality:
                continue  # the common cases, answered: no further checks
            if cls is list and value:
                try:
                    if _MISSING.isdisjoint(value):
                        continue  # a multiple choice with real answers only
                except TypeError:  # not a list of codes: let _status look
                    pass
            if (status := _status(value)) is not None:
                gaps.append(gap_key(fid, name, status))
    facts.append(fact_key("cases_by_month", registered[:7]))
    facts.append(fact_key("age_band", age_band(age) or "unknown"))
    return CaseSummary(case_id, reference, form_id, tuple(latest), registered, age, tuple(facts),
                       tuple(gaps), tuple(issues))


# -- reading the store -------------------------------------------------------------------

# store file → (fingerprint of the cases table, case id → (revision count, summary))
_cache: dict[str, tuple[tuple[Any, ...], dict[str, tuple[int, CaseSummary]]]] = {}
_lock = threading.Lock()
_refreshing = threading.Lock()
_FINGERPRINT = "SELECT count(*), sum(revision_count), max(updated_at), max(created_at) FROM cases"


def clear_cache() -> None:
    """Forget every cached summary (on lock, and in benchmarks)."""
    with _lock:
        _cache.clear()


def _latest_contexts(conn: Any, case_ids: Iterable[str] | None,
                     progress: Progress | None, total: int) -> dict[str, dict[str, dict[str, Any]]]:
    """case id → form id → parsed context of that form's latest revision."""
    latest: dict[str, dict[str, tuple[int, str]]] = {}
    sql = "SELECT case_id, form_id, number, context FROM revisions"
    if case_ids is None:
        batches: Iterable[tuple[str, dict[str, Any]]] = [(sql, {})]
    else:
        ids = list(case_ids)
        batches = [(f"{sql} WHERE case_id IN ({', '.join(f':c{j}' for j in range(len(chunk)))})",
                    {f"c{j}": v for j, v in enumerate(chunk)})
                   for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500))]
    seen = 0
    for query, params in batches:
        for case_id, form_id, number, ctx in conn.execute(text(query), params):
            forms = latest.setdefault(case_id, {})
            held = forms.get(form_id)
            if held is None or held[0] < number:
                forms[form_id] = (number, ctx)
            seen += 1
            if progress and seen % _PROGRESS_EVERY == 0:
                progress(min(seen, total), total * 2)
    loads = json.loads
    return {cid: {fid: loads(ctx) for fid, (_n, ctx) in forms.items()} for cid, forms in latest.items()}


_CASES = "SELECT id, reference, form_id, revision_count, created_at FROM cases"


def _update(conn: Any, cached: dict[str, tuple[int, CaseSummary]], cases: list[Any],
            progress: Progress | None) -> None:
    """Summarise the cases of ``cases`` that are new or have new revisions, into ``cached``."""
    stale = [c for c in cases if (hit := cached.get(c[0])) is None or hit[0] != c[3]]
    total = len(stale)
    if not stale:
        return
    # Few changes: read just those cases; many: one scan of the table is cheaper.
    ids = None if len(stale) > 2000 else [c[0] for c in stale]
    # Millions of small containers are created and none form cycles: the cyclic garbage
    # collector would re-scan all of them again and again (about half the cold pass).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        contexts = _latest_contexts(conn, ids, progress, total)
        today = date.today().isoformat()
        for i, (cid, ref, form_id, count, created) in enumerate(stale, 1):
            created_text = created if isinstance(created, str) else created.isoformat()
            cached[cid] = (count, summarise(cid, ref, form_id, created_text, contexts.get(cid, {}), today))
            if progress and i % _PROGRESS_EVERY == 0:
                progress(total + i, total * 2)
    finally:
        if was_enabled:
            gc.enable()



def _refresh(conn: Any, cached: dict[str, tuple[int, CaseSummary]], progress: Progress | None,
             before: tuple[Any, ...], now: tuple[Any, ...]) -> dict[str, tuple[int, CaseSummary]]:
    """Bring ``cached`` (valid at fingerprint ``before``) up to date with fingerprint ``now``."""
    if before and cached:
        # Every save sets updated_at, so the cases updated since the last refresh (an index
        # range) are all that can have changed. The totals must then agree exactly; if
        # not (a case removed, a clock set back), fall through to reading every case.
        recent = conn.execute(text(f"{_CASES} WHERE updated_at >= :t"), {"t": before[2]}).all()
        trial = dict(cached)
        _update(conn, trial, recent, progress)
        if len(trial) == now[0] and sum(n for n, _s in trial.values()) == (now[1] or 0):
            return trial
    cases = conn.execute(text(_CASES)).all()
    _update(conn, cached, cases, progress)
    if len(cached) != len(cases):
        live = {c[0] for c in cases}
        cached = {k: v for k, v in cached.items() if k in live}
    return cached


def summaries(session: Session, flt: ReportFilter | None = None,
              progress: Progress | None = None) -> list[CaseSummary]:
    """Summaries of every case in the filter, read from the encrypted store (cached)."""
    key = str(session.store.db_path)
    today = date.today().isoformat()
    rewrite = False
    with session.engine.connect() as conn:
        # Every save bumps a revision count and updated_at: an unchanged fingerprint
        # means the cached summaries are current and the cases table need not be read.
        fingerprint = tuple(conn.execute(text(_FINGERPRINT)).one())
        with _lock:
            held_print, held = _cache.get(key, ((), {}))
        if held_print == fingerprint:
            cached = held
        else:
            # One refresh at a time: a second page asking meanwhile waits, then finds it done.
            with _refreshing:
                with _lock:
                    held_print, held = _cache.get(key, ((), {}))
                if held_print == fingerprint:
                    cached = held
                else:
                    from tipintake.reports import persist

                    saved = not held
                    if saved:  # first report of this process: start from the saved snapshot
                        held_print, held = persist.load(conn, today)
                    if held_print == fingerprint:
                        cached = held
                    else:
                        cached = _refresh(conn, dict(held), progress, held_print, fingerprint)
                        changed = sum(1 for cid, v in cached.items() if held.get(cid) is not v)
                        rewrite = saved and changed or changed >= persist.REWRITE_AFTER
                    with _lock:
                        _cache[key] = (fingerprint, cached)
    if rewrite:
        persist.save(session.engine, fingerprint, cached, today)
    if progress:
        progress(1, 1)
    if flt is None or flt == ReportFilter():
        return [s for _n, s in cached.values()]
    return [s for _n, s in cached.values() if flt.keeps(s)]
