"""Saving an interview: drafts as working copies, records through the capture service (no Qt).

Zawgyi text converted while typing keeps its original beside the record's identity
part, as the capture service does for text it converts itself. These functions run
in the operations thread pool or, for drafts, directly: a draft write is one small
statement, and doing it at once is what makes "at most a few seconds lost" true.
"""

from __future__ import annotations

from typing import Any

from tipintake import capture
from tipintake.forms.spec import FormSpec
from tipintake.store.cases import CaseFilter
from tipintake.store.session import Session

DRAFT_META = "_draft"  # the window's own state inside a draft (never a form field name)


def save_record(session: Session, spec: FormSpec, answers: dict[str, Any], originals: dict[str, str],
                *, case_id: str | None = None, draft_id: str | None = None) -> tuple[str, int, str]:
    """Validate and store one revision; returns (case id, revision number, case reference)."""
    prepared = capture.prepare(spec, answers)
    kept = {name: text for name, text in originals.items() if name in prepared.identity or name in prepared.context}
    if kept:
        merged = dict(prepared.identity.get(capture.ORIGINALS_KEY, {}))
        merged.update(kept)
        prepared.identity[capture.ORIGINALS_KEY] = merged
    cid, number = session.cases.save(
        form_id=spec.id,
        form_version=str(spec.version),
        kind=spec.id,
        identity=prepared.identity,
        context=prepared.context,
        case_id=case_id,
        interview_language=capture.interview_language(spec, prepared.context | prepared.identity),
        draft_id=draft_id,
    )
    rows = session.cases.list(CaseFilter(ids=(cid,)), limit=1)
    return cid, number, rows[0].reference if rows else ""


def previous_answers(session: Session, spec: FormSpec, case_id: str) -> tuple[dict[str, Any], str | None]:
    """The latest answers to ``spec`` on a case (for a follow-up), and the case's interview language."""
    detail = session.cases.show(case_id)
    latest = detail.latest(spec.id)
    if latest is None:
        return {}, detail.interview_language
    answers = dict(latest.context)
    if latest.identity:
        answers.update({k: v for k, v in latest.identity.items() if k != capture.ORIGINALS_KEY})
    return {k: v for k, v in answers.items() if spec.has_field(k)}, detail.interview_language
