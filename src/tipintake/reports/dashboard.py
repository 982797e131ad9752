"""Dashboard figures: cases over time and by exploitation, control, origin, age and gender.

Counts come from the per-case summaries (``reports.summary``), so one pass over the
answers serves every figure. Each figure is a ``Table`` in the interface language;
categories are stable codes, ordered by count with the reasons for no answer last
(responsible data: "unknown", "refused" and "not asked" stay distinct from "no").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain

from tipintake.forms.ctdc import AGE_BANDS
from tipintake.i18n import _
from tipintake.reports.labels import age_band_label, choice_text, month_label
from tipintake.reports.plan import DIMENSION_KEYS, DIMENSIONS, plan_for
from tipintake.reports.summary import (
    NO_ANSWER,
    CaseSummary,
    Progress,
    ReportFilter,
    split_gap,
    summaries,
)
from tipintake.reports.tables import Row, Table
from tipintake.store.session import Session

_LAST = ("unknown", "refused", "not_asked", NO_ANSWER)


def _titles() -> dict[str, str]:
    return {
        "cases_by_month": _("Cases by month of registration"),
        "exploitation": _("Type of exploitation"),
        "means_of_control": _("Means of control"),
        "citizenship": _("Citizenship"),
        "country_of_exploitation": _("Country of exploitation"),
        "age_band": _("Age at registration (CTDC age band)"),
        "gender": _("Gender"),
        "services": _("Services needed or provided"),
        "referrals": _("Referrals by reason"),
    }


@dataclass(frozen=True)
class Dashboard:
    """Every dashboard figure for one filter."""

    cases: int
    tables: dict[str, Table] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Table:
        return self.tables[key]


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    known = sorted(((c, n) for c, n in counts.items() if c not in _LAST), key=lambda cn: (-cn[1], cn[0]))
    return known + [(c, counts[c]) for c in _LAST if counts.get(c)]


def _table(key: str, rows: list[tuple[str, str, int]], total: int, multi: bool = False) -> Table:
    heading = _("Category") if key != "cases_by_month" else _("Month")
    return Table(key, _titles()[key], (heading, _("Cases")),
                 tuple(Row(code, label, (n,)) for code, label, n in rows), total, multi)


def _labeller(forms: Counter[str], key: str) -> Callable[[str], str]:
    """Labels for one dimension from the form most cases in the selection use."""
    for form_id, _n in forms.most_common():
        plan = plan_for(form_id)
        if plan is not None and key in plan.dims:
            fld = plan.spec.field(plan.dims[key])
            return lambda code, spec=plan.spec, f=fld: choice_text(spec, f, code)
    return lambda code: choice_text(None, None, code)


def compute(cases: list[CaseSummary]) -> Dashboard:
    """Every dashboard table from already-filtered summaries (pure: no store)."""
    total = len(cases)
    # One C-level pass over every case's interned facts serves all figures at once.
    counted = Counter(chain.from_iterable([s.facts for s in cases]))
    per: dict[str, Counter[str]] = {}
    for key, n in counted.items():
        figure, code, _blank = split_gap(key)
        per.setdefault(figure, Counter())[code] = n
    tables: dict[str, Table] = {}
    months = per.get("cases_by_month", Counter())
    tables["cases_by_month"] = _table(
        "cases_by_month", [(m, month_label(m), months[m]) for m in sorted(months)], total)
    forms = Counter(s.form_id for s in cases)
    for key in DIMENSION_KEYS:
        label = _labeller(forms, key)
        rows = [(c, label(c), n) for c, n in _ordered(per.get(key, Counter()))]
        tables[key] = _table(key, rows, total, multi=_is_multi(forms, key))
    bands = per.get("age_band", Counter())
    order = [b for _lo, _hi, b in AGE_BANDS] + ["unknown"]
    tables["age_band"] = _table(
        "age_band", [(b, age_band_label(b) if b != "unknown" else choice_text(None, None, b), bands[b])
                     for b in order if bands.get(b)], total)
    ordered = ("cases_by_month", "exploitation", "means_of_control", "citizenship",
               "country_of_exploitation", "age_band", "gender", "services", "referrals")
    return Dashboard(total, {k: tables[k] for k in ordered})


def _is_multi(forms: Counter[str], key: str) -> bool:
    dim = next(d for d in DIMENSIONS if d.key == key)
    if dim.all_forms:
        return True
    for form_id in forms:
        plan = plan_for(form_id)
        if plan is not None and plan.dims.get(key) in plan.multi:
            return True
    return False


def dashboard(session: Session, flt: ReportFilter | None = None,
              progress: Progress | None = None) -> Dashboard:
    """The dashboard for the cases in ``flt`` (every role may see figures; nothing identifying)."""
    return compute(summaries(session, flt, progress))
