"""Capture: validated answers of a form → a new revision in the encrypted store.

This is the one place that joins the forms layer (validation, sensitivities) with
the store (revisions). The form's declared sensitivities decide what goes into the
identity part: direct identifiers and free text. Burmese text typed in Zawgyi is
converted to Unicode before it is stored; the original is kept beside it in the
identity part (it may be identifying).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tipintake.errors import UserError
from tipintake.forms import FormSpec, validate
from tipintake.i18n import _
from tipintake.i18n.zawgyi import normalize_burmese
from tipintake.store.session import Session

ORIGINALS_KEY = "_zawgyi_originals"


class InvalidAnswers(UserError):
    """Answers that do not pass the form's validation; ``errors`` maps field → sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        name, message = next(iter(errors.items()))
        more = len(errors) - 1
        if more:
            text = _("Field '{field}': {message} ({count} more fields need attention.)").format(
                field=name, message=message, count=more)
        else:
            text = _("Field '{field}': {message}").format(field=name, message=message)
        super().__init__(text)


@dataclass
class Prepared:
    """Answers split for storage."""

    identity: dict[str, Any]
    context: dict[str, Any]
    ambiguous_zawgyi: list[str] = field(default_factory=list)


def unicode_answers(answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Convert Zawgyi text (probability ≥ 0.95) to Unicode.

    Returns the converted answers, the originals of converted fields, and the names
    of fields where the encoding is uncertain (the UI asks; the command line warns).
    """
    out: dict[str, Any] = {}
    originals: dict[str, str] = {}
    ambiguous: list[str] = []
    for name, value in answers.items():
        if isinstance(value, str) and value:
            checked = normalize_burmese(value)
            if checked.converted:
                originals[name] = value
            elif checked.decision == "ask":
                ambiguous.append(name)
            value = checked.text
        out[name] = value
    return out, originals, ambiguous


def prepare(form: FormSpec, answers: dict[str, Any], *, convert_zawgyi: bool = True) -> Prepared:
    """Validate ``answers`` against ``form`` and split them into identity and context."""
    originals: dict[str, str] = {}
    ambiguous: list[str] = []
    if convert_zawgyi:
        answers, originals, ambiguous = unicode_answers(answers)
    result = validate(form, answers)
    if not result.ok:
        raise InvalidAnswers(result.errors)
    identity_names = form.identity_fields()
    identity = {k: v for k, v in result.answers.items() if k in identity_names}
    context = {k: v for k, v in result.answers.items() if k not in identity_names}
    if originals:
        identity[ORIGINALS_KEY] = originals
    return Prepared(identity, context, ambiguous)


def interview_language(form: FormSpec, answers: dict[str, Any]) -> str | None:
    """The interview language recorded in the answers, if the form asks for it."""
    fld = form.by_role("interview_language")
    value = answers.get(fld.name) if fld is not None else None
    return value if isinstance(value, str) and value else None


def save(session: Session, form: FormSpec, answers: dict[str, Any], *, case_id: str | None = None,
         draft_id: str | None = None, status: str | None = None) -> tuple[str, int, Prepared]:
    """Validate and save one revision; returns (case id, revision number, what was stored)."""
    prepared = prepare(form, answers)
    cid, number = session.cases.save(
        form_id=form.id,
        form_version=str(form.version),
        kind=getattr(form, "kind", None) or form.id,
        identity=prepared.identity,
        context=prepared.context,
        case_id=case_id,
        status=status,
        interview_language=interview_language(form, prepared.context | prepared.identity),
        draft_id=draft_id,
    )
    return cid, number, prepared
