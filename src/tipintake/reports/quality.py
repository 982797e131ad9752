"""Data quality: how complete each question is, and which answers contradict each other.

Per question, the cases that answered it, said "unknown", refused, were marked "not
asked", or have no answer at all (skipped, or not relevant to them). Inconsistencies
(dates out of order, a stated age that does not fit the birth date, minors without a
guardian's consent…) are grouped into findings, each listing the cases concerned so
the page can open them. Possible duplicates need identity: see ``reports.duplicates``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

from tipintake.i18n import _
from tipintake.reports.labels import field_label
from tipintake.reports.plan import plan_for
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

STATUSES = ("unknown", "refused", "not_asked", NO_ANSWER)


# A case a finding points to: (case id, reference). The id opens it; the reference is what
# people read. A plain tuple: findings over 100k cases create many of them.
CaseRef = tuple[str, str]


@dataclass(frozen=True)
class Finding:
    """One kind of problem on some fields, and every case that has it."""

    kind: str
    message: str
    fields: tuple[str, ...]
    cases: tuple[CaseRef, ...]


@dataclass(frozen=True)
class QualityReport:
    """Completeness per question and the findings, for one filter."""

    cases: int
    completeness: Table
    findings: list[Finding] = field(default_factory=list)

    def findings_table(self) -> Table:
        """Findings as a table of case counts (for export; the case list stays on screen)."""
        rows = tuple(Row(f.kind, f.message, (len(f.cases),)) for f in self.findings)
        return Table("findings", _("Inconsistent answers"), (_("Finding"), _("Cases")), rows,
                     self.cases, multi=True)


def message(kind: str, fields: tuple[str, ...]) -> str:
    """A finding in one sentence, naming the questions concerned."""
    first = fields[0] if fields else ""
    second = fields[1] if len(fields) > 1 else ""
    texts = {
        "dates_out_of_order": _("“{first}” is later than “{second}”."),
        "date_in_future": _("“{first}” is in the future."),
        "age_vs_birth_date": _("The age in “{first}” does not fit the date in “{second}”."),
        "age_when_trafficked_above_age": _("“{first}” is more than the person's age now."),
        "minor_without_guardian_consent": _("A child, without a parent's or guardian's consent in “{first}”."),
        "possible_duplicate": _("The same person may have been entered more than once."),
    }
    return texts.get(kind, kind).format(first=first, second=second)


def completeness(cases: list[CaseSummary]) -> Table:
    """Per question: cases asked, answered, unknown, refused, not asked, no answer."""
    per_form = Counter(f for s in cases for f in s.forms)
    gaps = Counter(chain.from_iterable([s.gaps for s in cases]))
    by_field: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for key, n in gaps.items():
        form_id, name, status = split_gap(key)
        by_field[(form_id, name)][status] = n
    rows: list[Row] = []
    for form_id in sorted(per_form):
        plan = plan_for(form_id)
        if plan is None:
            continue
        asked = per_form[form_id]
        for name in plan.quality_fields:
            counts = by_field.get((form_id, name), {})
            missing = [counts.get(st, 0) for st in STATUSES]
            label = field_label(plan.spec, plan.spec.field(name))
            rows.append(Row(f"{form_id}:{name}", label, (asked, asked - sum(missing), *missing)))
    columns = (_("Question"), _("Cases"), _("Answered"), _("Unknown"), _("Refused"), _("Not asked"),
               _("No answer"))
    return Table("completeness", _("Completeness per question"), columns, tuple(rows), len(cases), multi=True)


def findings(cases: list[CaseSummary]) -> list[Finding]:
    """Inconsistent answers grouped by kind and questions, most cases first."""
    groups: dict[tuple[str, str, tuple[str, ...]], list[CaseRef]] = defaultdict(list)
    for s in cases:
        if s.issues:
            for kind, names in s.issues:
                groups[(kind, s.form_id, names)].append((s.case_id, s.reference))
    out = []
    for (kind, form_id, names), refs in groups.items():
        plan = plan_for(form_id)
        labels = tuple(field_label(plan.spec, plan.spec.field(n)) if plan and plan.spec.has_field(n) else n
                       for n in names)
        out.append(Finding(kind, message(kind, labels), names, tuple(refs)))
    out.sort(key=lambda f: (-len(f.cases), f.kind, f.fields))
    return out


def compute(cases: list[CaseSummary]) -> QualityReport:
    """The quality report from already-filtered summaries (pure: no store)."""
    return QualityReport(len(cases), completeness(cases), findings(cases))


def quality(session: Session, flt: ReportFilter | None = None,
            progress: Progress | None = None) -> QualityReport:
    """The quality report for the cases in ``flt`` (no identity is read)."""
    return compute(summaries(session, flt, progress))
