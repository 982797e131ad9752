"""The sharing pipeline the sync layer calls: consent gate → de-identify → leak scan → risk.

``prepare_share(session, agreement)`` reads the store once and returns a
:class:`SharePlan`: the de-identified records (``sync.records.CaseRecord``) of every
eligible case whose latest revision this partner has not received yet, the withdrawal
notices still owed to the partner (``sync.records.Withdrawal``), the risk report, and
the ledger to write once a batch holds them. After the batch is built,
``record_shared(session, partner, plan, batch_id)`` writes ``shared_records`` and marks
the notices; a second ``prepare_share`` then leaves those revisions out (idempotent).

What is shared per case is the latest revision of the case's own form (its intake
form); consent is read from that revision. :func:`build_plan` is the pure core: the
benchmark and the property tests drive it with answer dicts directly.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import text

from tipintake.deid.ages import ages, forget_dates
from tipintake.deid.agreements import Agreement, require_shown
from tipintake.deid.consent import NO_CONSENT, WITHDRAWN, ineligible_reason, withdrawn_case_ids
from tipintake.deid.generalise import Profile, compile_profile, deidentify_summarised
from tipintake.deid.leaks import Scanner, identity_words
from tipintake.deid.pseudonym import date_shift_days, partner_secret, pseudonym
from tipintake.deid.report import Blocked, RiskReport
from tipintake.deid.risk import anonymise
from tipintake.errors import UserError
from tipintake.forms.spec import FormSpec
from tipintake.i18n import _
from tipintake.store import audit
from tipintake.store.roles import Permission
from tipintake.sync.records import CaseRecord, Withdrawal

if TYPE_CHECKING:
    from tipintake.store.session import Session

ORIGINALS_KEY = "_zawgyi_originals"  # capture.ORIGINALS_KEY: Zawgyi as typed, in the identity part
FormLoader = Callable[[str], FormSpec]


@dataclass(frozen=True)
class CaseInput:
    """The latest revision of one case, as read from the store."""

    case_id: str
    reference: str
    status: str
    form_id: str
    form_version: str
    revision: int
    context: dict[str, Any]
    identity: dict[str, Any]


@dataclass(frozen=True)
class Shared:
    """What the partner already has of a case, and whether a withdrawal notice is settled."""

    revision: int
    pseudonym: str
    notice_settled: bool = False  # a notice went in a batch and nothing was shared since


@dataclass
class SharePlan:
    """One batch's worth of work for one partner (nothing is written until ``record_shared``)."""

    partner: str
    agreement_sha256: str
    records: list[CaseRecord]
    withdrawals: list[Withdrawal]
    report: RiskReport
    ledger: list[tuple[str, int, str]]  # (case id, revision, pseudonym) of every record
    withdrawal_ledger: list[tuple[str, str]] = field(default_factory=list)  # (case id, pseudonym)
    created_at: datetime | None = None


@dataclass
class Assessment:
    """The consent gate, de-identification, leak scan and risk step over a set of cases."""

    report: RiskReport
    kept: list[tuple[CaseInput, str, dict[str, Any]]]  # (case, pseudonym, final values), by pseudonym
    owed: list[tuple[str, str]]  # withdrawal notices owed: (case id, pseudonym)


def build_plan(inputs: Iterable[CaseInput], agreement: Agreement, secret: bytes, *,
               forms: Callable[[str], FormSpec | None], shared: dict[str, Shared] | None = None,
               pending: dict[str, str] | None = None, withdrawn: set[str] | frozenset[str] = frozenset(),
               now: datetime | None = None) -> SharePlan:
    """The plan for ``inputs`` (pure: same inputs, same plan).

    ``shared`` maps case id → what the partner has; ``pending`` maps case id → pseudonym of
    withdrawal notices queued and not yet sent; ``withdrawn`` holds cases withdrawn by mark.
    """
    paused = gc.isenabled()
    gc.disable()  # across both steps: see assess
    try:
        a = assess(inputs, agreement, secret, forms=forms, shared=shared, pending=pending,
                   withdrawn=withdrawn)
        records = _records(a.kept)
    except ValidationError as exc:  # pydantic's message would quote the values: name the places only
        where = sorted({".".join(map(str, e["loc"])) for e in exc.errors(include_input=False)})
        raise RuntimeError(f"a de-identified record does not fit the batch format: {', '.join(where)}") from None
    finally:
        if paused:
            gc.enable()
    ledger = [(case.case_id, case.revision, ps) for case, ps, _values in a.kept]
    return SharePlan(agreement.name, agreement.sha256(), records,
                     [Withdrawal(case=p) for _c, p in a.owed], a.report, ledger, a.owed, now)


def _records(kept: list[tuple[CaseInput, str, dict[str, Any]]]) -> list[CaseRecord]:
    """The batch-format models of the kept records.

    Every value was checked against the batch format when it was first produced (per
    distinct answer, ``generalise.check_values``) and pseudonyms are made to its pattern,
    so one record per form version is validated in full and the rest are constructed.
    """
    checked: set[tuple[str, str]] = set()
    out = []
    paused = gc.isenabled()
    gc.disable()  # as in assess: many small acyclic objects
    try:
        for case, ps, values in kept:
            if (case.form_id, case.form_version) not in checked or case.revision < 1:
                out.append(CaseRecord(case=ps, revision=case.revision, form=case.form_id,
                                      form_version=case.form_version, values=values))
                checked.add((case.form_id, case.form_version))
            else:
                out.append(CaseRecord.model_construct(case=ps, revision=case.revision, form=case.form_id,
                                                      form_version=case.form_version, values=values))
    finally:
        if paused:
            gc.enable()
    return out


def assess(inputs: Iterable[CaseInput], agreement: Agreement, secret: bytes, *,
           forms: Callable[[str], FormSpec | None], shared: dict[str, Shared] | None = None,
           pending: dict[str, str] | None = None,
           withdrawn: set[str] | frozenset[str] = frozenset()) -> Assessment:
    """Everything :func:`build_plan` decides, as plain values (the benchmark times this)."""
    # The work allocates hundreds of thousands of small dicts and tuples, none of them in a
    # cycle (reference counting frees them); the cyclic collector would re-scan them over
    # and over, about half the time over 100k cases. Paused for this call only.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _assess(inputs, agreement, secret, forms=forms, shared=shared, pending=pending,
                       withdrawn=withdrawn)
    finally:
        forget_dates()
        if paused:
            gc.enable()


def _assess(inputs: Iterable[CaseInput], agreement: Agreement, secret: bytes, *,
            forms: Callable[[str], FormSpec | None], shared: dict[str, Shared] | None,
            pending: dict[str, str] | None, withdrawn: set[str] | frozenset[str]) -> Assessment:
    shared = shared or {}
    pending = dict(pending or {})
    g = agreement.generalisation
    report = RiskReport(agreement.name, g.k, g.l, g.quasi_identifiers, g.sensitive_attributes)
    profiles: dict[str, Profile | None] = {}
    shift_max = g.date_shift.max_days if g.date_shift.enabled else 0
    cands: list[tuple[CaseInput, str]] = []
    scanner = Scanner()
    values: list[dict[str, Any]] = []
    coarser: list[dict[str, Any]] = []
    for case in inputs:
        report.cases += 1
        if case.form_id not in profiles:
            spec = forms(case.form_id)
            profiles[case.form_id] = compile_profile(spec, agreement) if spec is not None else None
            if spec is not None:
                report.dropped_fields[case.form_id] = profiles[case.form_id].dropped  # type: ignore[union-attr]
        profile = profiles[case.form_id]
        had = shared.get(case.case_id)
        if profile is None:
            report.ineligible["form_unavailable"] = report.ineligible.get("form_unavailable", 0) + 1
            continue
        # Only role answers (consent, dates, ages) may sit in the identity part; the values
        # sent never come from it (identity fields are direct identifiers or free text).
        answers = {**case.context, **case.identity} if profile.roles_in_identity else case.context
        age = ages(answers, profile.roles)
        why = ineligible_reason(answers, profile.roles, age=age,
                                withdrawn=case.status == "withdrawn" or case.case_id in withdrawn)
        if why is not None:
            report.ineligible[why] = report.ineligible.get(why, 0) + 1
            if had is not None and why in (WITHDRAWN, NO_CONSENT) and not had.notice_settled:
                pending[case.case_id] = had.pseudonym
            continue
        report.eligible += 1
        if pending:
            pending.pop(case.case_id, None)  # consent given again since: nothing to withdraw
        if had is not None and had.revision >= case.revision:
            report.already_shared += 1
            continue
        report.candidates += 1
        shift = date_shift_days(secret, case.case_id, shift_max) if shift_max else 0
        out, coarse, summaries = deidentify_summarised(profile, answers, shift, age)
        originals = case.identity.get(ORIGINALS_KEY)
        words = identity_words(case.identity, profile.needle_fields, originals)
        hit = scanner.scan_summarised(summaries, out, case.identity, profile.needle_fields, originals,
                                      profile.vocabulary, words)
        if hit is None and profile.scan_text_fields:
            ctx = case.context
            texts = {f: ctx[f] for f in profile.scan_text_fields if f in ctx}
            hit = scanner.scan_texts(texts, case.identity, profile.needle_fields, originals, words)
        if hit is not None:
            report.blocked.append(Blocked(case.reference, hit[0], hit[1]))
            continue
        cands.append((case, pseudonym(secret, case.case_id)))
        values.append(out)
        coarser.append(coarse)
    risk = anonymise(values, coarser, g.quasi_identifiers, g.sensitive_attributes, g.k, g.l,
                     further=g.further, suppression_limit=g.suppression_limit)
    report.suppressed_k, report.suppressed_l = len(risk.suppressed_k), len(risk.suppressed_l)
    report.generalised, report.unique_before = risk.generalised, risk.unique_before
    report.further = risk.further
    report.below_k_before, report.classes = risk.below_k_before, risk.classes
    report.k_achieved, report.l_achieved = risk.k_achieved, risk.l_achieved
    kept = sorted(risk.kept, key=lambda i: cands[i][1])  # by pseudonym: no trace of store order
    owed = sorted(pending.items(), key=lambda item: item[1])
    report.shared, report.withdrawals = len(kept), len(owed)
    return Assessment(report, [(cands[i][0], cands[i][1], risk.values[i]) for i in kept], owed)


# -- the store side ----------------------------------------------------------------------

_CASES_SQL = (
    "SELECT c.id, c.reference, c.status, c.form_id, r.form_version, r.number, r.context, i.data "
    "FROM cases c JOIN revisions r ON r.case_id = c.id AND r.form_id = c.form_id AND r.number = "
    "(SELECT max(r2.number) FROM revisions r2 WHERE r2.case_id = c.id AND r2.form_id = c.form_id) "
    "LEFT JOIN identities i ON i.revision_id = r.id ORDER BY c.id"
)


def read_cases(session: Session) -> Iterable[CaseInput]:
    """The latest revision of every case's own form, identity included (streamed)."""
    with session.engine.connect() as conn:
        for cid, ref, status, form_id, version, number, ctx, ident in conn.execute(text(_CASES_SQL)):
            yield CaseInput(cid, ref, status, form_id, version, number, json.loads(ctx),
                            json.loads(ident) if ident else {})


def read_partner_state(session: Session, partner: str) -> tuple[dict[str, Shared], dict[str, str]]:
    """What ``partner`` has (case id → Shared) and the notices queued but not yet sent."""
    with session.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.case_id, max(s.revision), s.pseudonym, max(s.shared_at), w.queued_at, w.batch_id "
            "FROM shared_records s LEFT JOIN withdrawal_notices w "
            "ON w.partner = s.partner AND w.case_id = s.case_id "
            "WHERE s.partner = :p GROUP BY s.case_id"), {"p": partner}).all()
        pending = dict(conn.execute(text(
            "SELECT case_id, pseudonym FROM withdrawal_notices WHERE partner = :p AND batch_id IS NULL"),
            {"p": partner}).all())
    shared = {}
    for cid, rev, pseu, last_shared, queued, batch in rows:
        settled = batch is not None and str(queued) >= str(last_shared)
        shared[cid] = Shared(rev, pseu, settled)
    return shared, pending


def prepare_share(session: Session, agreement: Agreement, *, now: datetime | None = None,
                  form_loader: FormLoader | None = None, require_agreement_shown: bool = True) -> SharePlan:
    """Everything that would go to ``agreement``'s partner now, with its risk report."""
    session.require(Permission.SHARE)
    if require_agreement_shown:
        require_shown(session, agreement)
    if form_loader is None:
        from tipintake.forms.loader import load_form

        form_loader = load_form
    cache: dict[str, FormSpec | None] = {}

    def forms(form_id: str) -> FormSpec | None:
        if form_id not in cache:
            try:
                cache[form_id] = form_loader(form_id)
            except UserError:
                cache[form_id] = None
        return cache[form_id]

    secret = partner_secret(session, agreement.name)
    shared, pending = read_partner_state(session, agreement.name)
    plan = build_plan(read_cases(session), agreement, secret, forms=forms, shared=shared,
                      pending=pending, withdrawn=withdrawn_case_ids(session),
                      now=now or datetime.now(UTC))
    r = plan.report
    session.audit("share_prepared", "partner", agreement.name,
                  {"sha256": plan.agreement_sha256, "records": r.shared, "withdrawals": r.withdrawals,
                   "blocked": len(r.blocked), "suppressed": r.suppressed, "k": r.k_achieved})
    return plan


def record_shared(session: Session, agreement_name: str, plan: SharePlan, batch_id: str) -> None:
    """Write ``shared_records`` for the plan's records and mark its notices with ``batch_id``."""
    from tipintake.store.session import now

    session.require(Permission.SHARE)
    if plan.partner != agreement_name:
        raise UserError(_("This plan was made for partner '{plan}', not '{name}'.").format(
            plan=plan.partner, name=agreement_name))
    at = now()
    with session.engine.begin() as conn:
        if plan.ledger:
            conn.execute(text(
                "INSERT OR IGNORE INTO shared_records(partner, case_id, revision, pseudonym, batch_id, "
                "shared_at) VALUES (:p, :c, :r, :ps, :b, :t)"),
                [{"p": agreement_name, "c": c, "r": r, "ps": ps, "b": batch_id, "t": at}
                 for c, r, ps in plan.ledger])
        if plan.withdrawal_ledger:
            conn.execute(text(
                "INSERT INTO withdrawal_notices(partner, case_id, pseudonym, queued_at, batch_id) "
                "VALUES (:p, :c, :ps, :t, :b) ON CONFLICT(partner, case_id) DO UPDATE SET "
                "batch_id = excluded.batch_id"),
                [{"p": agreement_name, "c": c, "ps": ps, "t": at, "b": batch_id}
                 for c, ps in plan.withdrawal_ledger])
        audit.append(conn, session.user.username, "shared", "partner", agreement_name,
                     {"batch_id": batch_id, "records": len(plan.ledger),
                      "withdrawals": len(plan.withdrawal_ledger), "sha256": plan.agreement_sha256})
