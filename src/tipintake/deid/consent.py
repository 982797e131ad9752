"""The consent gate and consent withdrawal.

A case may be shared only when its latest answers record consent to de-identified
sharing (the field with role ``consent_share`` answered yes), nothing records a
withdrawal (role ``consent_withdrawn``, the case status ``withdrawn`` or the withdrawal
mark below), and, for a minor, the child's assent and a guardian's consent are both
yes. When the age cannot be told the case is held back: whether a guardian must
consent is then unknown.

Withdrawal is recorded as a *status change plus a mark*, not a new revision: the case
status becomes ``withdrawn`` (visible in the case list, audited) and a setting
``deid.withdrawn.<case id>`` is written, because a later status change (closing the
case) must not make it shareable again. Both take effect at once; a withdrawal notice is
queued for every partner that already received the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from tipintake.deid.ages import Ages, ages, is_yes
from tipintake.i18n import _
from tipintake.store import audit

if TYPE_CHECKING:
    from tipintake.store.session import Session

WITHDRAWN_PREFIX = "deid.withdrawn."

# Reasons a case is not eligible (stable keys; labels for people below).
NO_CONSENT = "no_consent"
WITHDRAWN = "withdrawn"
MINOR_WITHOUT_GUARDIAN = "minor_without_assent_or_guardian_consent"
AGE_UNKNOWN = "age_unknown"
FORM_UNAVAILABLE = "form_unavailable"


def reason_label(reason: str) -> str:
    """A reason key as a phrase for the report."""
    return {
        NO_CONSENT: _("no consent to de-identified sharing recorded"),
        WITHDRAWN: _("consent withdrawn"),
        MINOR_WITHOUT_GUARDIAN: _("a minor without both child assent and guardian consent"),
        AGE_UNKNOWN: _("age unknown, so the need for guardian consent cannot be told"),
        FORM_UNAVAILABLE: _("the case's form is not available on this laptop"),
    }.get(reason, reason)


def ineligible_reason(answers: dict[str, Any], roles: dict[str, str], *, withdrawn: bool,
                      age: Ages | None = None) -> str | None:
    """Why a case may not be shared (None when it may), from its latest answers."""
    if withdrawn:
        return WITHDRAWN
    flag = roles.get("consent_withdrawn")
    if flag and is_yes(answers.get(flag)):
        return WITHDRAWN
    share = roles.get("consent_share")
    if not share or not is_yes(answers.get(share)):
        return NO_CONSENT
    years = (age or ages(answers, roles)).at_registration
    if years is None:
        return AGE_UNKNOWN
    if years < 18:
        assent, guardian = roles.get("child_assent"), roles.get("guardian_consent")
        if not (assent and guardian and is_yes(answers.get(assent)) and is_yes(answers.get(guardian))):
            return MINOR_WITHOUT_GUARDIAN
    return None


def withdrawn_case_ids(session: Session) -> set[str]:
    """Cases whose consent was withdrawn through :func:`withdraw_consent`."""
    with session.engine.connect() as conn:
        rows = conn.execute(text("SELECT key FROM settings WHERE key LIKE :p"),
                            {"p": WITHDRAWN_PREFIX + "%"}).scalars()
        return {key[len(WITHDRAWN_PREFIX):] for key in rows}


def withdraw_consent(session: Session, case_id: str) -> list[str]:
    """Withdraw a case's consent to sharing; returns the partners that will be told.

    The case becomes ineligible at once and a withdrawal notice is queued (table
    ``withdrawal_notices``) for every partner in ``shared_records`` that received it.
    """
    from tipintake.store.session import now

    session.cases.set_status(case_id, "withdrawn")  # checks EDIT, audits the status
    at = now()
    session.set_setting(WITHDRAWN_PREFIX + case_id, at.isoformat())
    with session.engine.begin() as conn:
        partners = conn.execute(
            text("SELECT partner, pseudonym FROM shared_records WHERE case_id = :c "
                 "GROUP BY partner ORDER BY partner"), {"c": case_id}).all()
        for partner, pseudonym in partners:
            # Re-queue even if a notice went before: the case may have been shared again
            # since, and a repeated notice is harmless (the hub deletes idempotently).
            conn.execute(
                text("INSERT INTO withdrawal_notices(partner, case_id, pseudonym, queued_at, batch_id) "
                     "VALUES (:p, :c, :ps, :t, NULL) ON CONFLICT(partner, case_id) DO UPDATE SET "
                     "queued_at = excluded.queued_at, batch_id = NULL, pseudonym = excluded.pseudonym"),
                {"p": partner, "c": case_id, "ps": pseudonym, "t": at})
        names = [p for p, _ps in partners]
        audit.append(conn, session.user.username, "consent_withdrawn", "case", case_id,
                     {"partners_notified": names})
    return names
