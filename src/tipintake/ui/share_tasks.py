"""The share screen's work, run in the thread pool: partners, the preview, sending, USB.

No Qt here. Each function takes the signed-in session and returns plain values, so the
share page (``share_view.py``) hands it to ``operations.run`` and draws what comes back.
They call services only — ``tipintake.deid`` for agreements and the risk report,
``tipintake.sync.service.PartnerSync`` for transfers — never the database or a key.
Sentences returned here are already in the interface language; errors stay
exceptions (``UserError`` with one sentence) for ``operations.user_message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tipintake.errors import UserError
from tipintake.i18n import _
from tipintake.store.roles import Permission

if TYPE_CHECKING:
    from tipintake.deid.agreements import Agreement
    from tipintake.deid.report import RiskReport
    from tipintake.store.session import Session
    from tipintake.sync.http import RetryPolicy
    from tipintake.sync.progress import ProgressCallback
    from tipintake.sync.service import PartnerStatus, PartnerSync

# None: a policy for a person waiting at the screen (see _policy); tests set a quick one.
RETRY_POLICY: RetryPolicy | None = None
# deid.agreements.PARTNERS_DIR, repeated so that building the navigation imports no deid code
# (pydantic, pyrage); a test checks that the two agree.
PARTNERS_DIR = "partners"


@dataclass(frozen=True)
class PartnerState:
    """What the page shows of one partner besides the risk report."""

    name: str
    agreement: Agreement
    shown: bool  # this exact agreement (by hash) was shown and accepted in this store
    status: PartnerStatus


def page_available(session: Session) -> bool:
    """The Share page appears for people who may share, once there is a partner to share with.

    An administrator sees it before the first agreement too: the page is where one is added.
    """
    return session.can(Permission.SHARE) and (
        session.can(Permission.MANAGE_USERS) or has_agreements(session.store.data_dir))


def has_agreements(data_dir: Path) -> bool:
    """Whether any partner agreement file is installed (cheap: a folder listing, no parsing)."""
    folder = Path(data_dir) / PARTNERS_DIR
    return folder.is_dir() and any(folder.glob("*.yaml"))


def partner_names(data_dir: Path) -> list[str]:
    """The partners with an agreement file, by name (a bad file still appears, to say what is wrong)."""
    from tipintake.deid.agreements import partners_dir

    folder = partners_dir(data_dir)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def partner_sync(session: Session, name: str) -> PartnerSync:
    """The sync service for one partner, with the page's retry policy."""
    from tipintake.sync.service import PartnerSync

    return PartnerSync(session, name, policy=RETRY_POLICY or _policy())


def _policy() -> RetryPolicy:
    """Three tries within about 20 s: someone is waiting at the screen, and the automatic
    attempt comes back anyway when the hub is reachable (the command line keeps the sync
    layer's patient defaults: six tries up to 30 s apart)."""
    from tipintake.sync.http import RetryPolicy

    return RetryPolicy(attempts=3, cap=5.0, connect_timeout=5.0)


def load_partner(session: Session, name: str) -> PartnerState:
    """The agreement, whether it was accepted, and the outbox status of partner ``name``."""
    from tipintake.deid.agreements import load_agreement, was_shown

    agreement = load_agreement(session.store.data_dir, name)
    return PartnerState(name, agreement, was_shown(session, agreement), partner_sync(session, name).status())


def preview(session: Session, agreement: Agreement) -> RiskReport:
    """The risk report of what would go to the partner now; nothing is queued or sent.

    Computed before the agreement is accepted too, as ``tipintake share preview`` does:
    the user should see both before deciding.
    """
    from tipintake.deid.share import prepare_share

    return prepare_share(session, agreement, require_agreement_shown=False).report


def accept(session: Session, agreement: Agreement) -> None:
    """The user read the agreement on screen and accepted it: the audit trail records its hash."""
    from tipintake.deid.agreements import mark_shown

    session.require(Permission.SHARE)
    mark_shown(session, agreement)


def inspect_file(session: Session, path: Path) -> tuple[Agreement, bool]:
    """Validate an agreement file; also say whether it would replace the partner's current one."""
    from tipintake.deid.agreements import load_agreement_file, partners_dir

    session.require(Permission.SHARE)
    agreement = load_agreement_file(path)
    return agreement, (partners_dir(session.store.data_dir) / f"{agreement.name}.yaml").exists()


def add_agreement(session: Session, path: Path, replace: bool) -> Agreement:
    """Install an agreement file (validated by deid) and record who added it."""
    from tipintake.deid.agreements import add_agreement as install

    session.require(Permission.MANAGE_USERS)
    agreement = install(session.store.data_dir, path, replace=replace)
    session.audit("agreement_added", "partner", agreement.name, {"sha256": agreement.sha256()})
    return agreement


def send_now(session: Session, name: str, progress: ProgressCallback | None = None) -> str:
    """Queue what is new and push every unconfirmed batch; one sentence about the outcome."""
    from tipintake.sync.service import describe_push

    return describe_push(partner_sync(session, name).send_now(progress))


def export_to_usb(session: Session, name: str, folder: Path, progress: ProgressCallback | None = None) -> str:
    """Queue what is new and write every unconfirmed batch to ``folder``; one sentence."""
    result = partner_sync(session, name).export_to_usb(Path(folder), progress)
    return _("Wrote {written} batches to {folder} ({kept} were already there, {records} records in all). "
             "Keep the stick safe: the batches are encrypted to {partner}.").format(
        written=len(result.written), folder=result.folder, kept=len(result.already_there),
        records=result.records, partner=result.partner)


def import_receipts(session: Session, folder: Path) -> tuple[str, list[str]]:
    """Read receipts from a stick: a summary sentence and one sentence per refused file."""
    from tipintake.sync.service import import_receipts as read

    outcome = read(session, Path(folder))
    summary = _("Receipts read: {new} batches confirmed now, {old} confirmed before, {other} for other "
                "devices, {bad} refused.").format(new=len(outcome.acknowledged), old=len(outcome.already),
                                                  other=outcome.not_ours, bad=len(outcome.rejected))
    refused = [_("Refused {file}: {reason}").format(file=file, reason=reason)
               for file, reason in sorted(outcome.rejected.items())]
    return summary, refused


def hubs_to_try(session: Session, names: list[str]) -> dict[str, bool]:
    """Whether each hub with waiting batches answers now (for the app's automatic attempt).

    Only partners whose agreement was accepted and that have batches waiting (the user
    pressed "Send now" or exported while the hub was away) are asked: the app finishes
    what the user started and never begins sharing on its own. Never raises.
    """
    from tipintake.deid.agreements import was_shown

    answers: dict[str, bool] = {}
    for name in names:
        try:
            sync = partner_sync(session, name)
            if sync.link.hub_url is None or not was_shown(session, sync.agreement) or not sync.waiting():
                continue
        except UserError:
            continue  # a bad agreement file: the page says so when the partner is shown
        answers[name] = sync.reachable()
    return answers


def send_if_reachable(session: Session, name: str, progress: ProgressCallback | None = None) -> str | None:
    """The automatic attempt for one partner: send if its hub answers; a sentence, or None."""
    from tipintake.sync.service import describe_push

    result = partner_sync(session, name).send_if_reachable(progress)
    return None if result is None else describe_push(result)
