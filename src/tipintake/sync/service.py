"""The sharing service the app's share screen and the command line call (no Qt here).

:class:`PartnerSync` ties one partner agreement to the outbox and the transports:
``status()`` for the screen, ``send_now()`` and ``export_to_usb()`` that first
queue whatever de-identification says is new (a batch), then offer every batch not
yet acknowledged, reporting progress through a callback, and ``import_receipts()``
for receipts brought back on a stick. They run long: the UI calls them off the GUI
thread. Every failure is a :class:`~tipintake.errors.UserError` with one sentence.

De-identification decides *what* is shared (``tipintake.deid.share``: consent gate,
profile, risk check); sync only packs, sends and tracks it. The planner is a seam
so the two can be tested apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select

from tipintake.i18n import _
from tipintake.store.models import OutboxBatch
from tipintake.store.roles import Permission
from tipintake.store.session import Session
from tipintake.sync import http, usb
from tipintake.sync.errors import HubUnreachable
from tipintake.sync.outbox import ACKNOWLEDGED, Outbox, OutboxEntry
from tipintake.sync.partner import PartnerLink, link_from_agreement, require_hub_key
from tipintake.sync.progress import ProgressCallback

T = OutboxBatch.__table__


class Planner(Protocol):
    """What sync needs from de-identification."""

    def load_agreement(self, data_dir: Path, name: str) -> Any: ...

    def prepare_share(self, session: Session, agreement: Any) -> Any: ...

    def record_shared(self, session: Session, partner: str, plan: Any, batch_id: str) -> None: ...


class DeidPlanner:
    """The real planner: ``tipintake.deid`` (imported when first used)."""

    def load_agreement(self, data_dir: Path, name: str) -> Any:
        from tipintake.deid.agreements import load_agreement

        return load_agreement(data_dir, name)

    def prepare_share(self, session: Session, agreement: Any) -> Any:
        from tipintake.deid.share import prepare_share

        return prepare_share(session, agreement)

    def record_shared(self, session: Session, partner: str, plan: Any, batch_id: str) -> None:
        from tipintake.deid.share import record_shared

        record_shared(session, partner, plan, batch_id)


@dataclass(frozen=True)
class PartnerStatus:
    """What the share screen shows for a partner."""

    partner: str
    last_success: datetime | None  # last receipt received (UTC)
    pending: int
    delivered: int
    acknowledged: int
    records_waiting: int  # records and withdrawals in batches without a receipt
    last_error: str | None  # one plain sentence, or None


class PartnerSync:
    """Sharing with one partner, for a signed-in session."""

    def __init__(self, session: Session, partner: str, *, planner: Planner | None = None,
                 policy: http.RetryPolicy | None = None, data_dir: Path | None = None) -> None:
        self.session = session
        self.partner = partner
        self.planner = planner or DeidPlanner()
        self.policy = policy
        self.data_dir = Path(data_dir) if data_dir is not None else session.store.data_dir
        self.outbox = Outbox(session, self.data_dir)
        self._agreement: Any = None

    # -- the agreement ---------------------------------------------------------
    @property
    def agreement(self) -> Any:
        """The partner agreement (loaded once)."""
        if self._agreement is None:
            self._agreement = self.planner.load_agreement(self.data_dir, self.partner)
        return self._agreement

    @property
    def link(self) -> PartnerLink:
        """The transport facts of the agreement."""
        link = link_from_agreement(self.agreement)
        return link if link.name == self.partner else PartnerLink(
            self.partner, link.hub_url, link.recipients, link.cert_sha256, link.hub_key)

    # -- reading ---------------------------------------------------------------
    def status(self) -> PartnerStatus:
        """Counts, last successful sync and the last error, for the share screen."""
        counts = self.outbox.counts(self.partner)
        waiting = self.outbox.unacknowledged(self.partner)
        with self.session.engine.connect() as conn:
            last = conn.execute(select(func.max(T.c.acknowledged_at)).where(
                T.c.partner == self.partner, T.c.state == ACKNOWLEDGED)).scalar()
        errors = [e.last_error for e in waiting if e.last_error]
        return PartnerStatus(
            partner=self.partner, last_success=last, pending=counts["pending"],
            delivered=counts["delivered"], acknowledged=counts["acknowledged"],
            records_waiting=sum(e.record_count for e in waiting), last_error=errors[0] if errors else None,
        )

    def waiting(self) -> list[OutboxEntry]:
        """Batches not yet acknowledged, oldest first."""
        return self.outbox.unacknowledged(self.partner)

    def reachable(self) -> bool:
        """Whether the partner's hub answers now (for the app's automatic attempt)."""
        return http.reachable(self.link)

    def preview(self) -> Any:
        """The de-identification plan (records, risk report) without queuing anything."""
        self.session.require(Permission.SHARE)
        return self.planner.prepare_share(self.session, self.agreement)

    # -- acting ----------------------------------------------------------------
    def queue_new(self, progress: ProgressCallback | None = None) -> OutboxEntry | None:
        """Pack whatever is new for this partner into a batch in the outbox (None if nothing)."""
        self.session.require(Permission.SHARE)
        plan = self.planner.prepare_share(self.session, self.agreement)
        records = getattr(plan, "records", None) or ()
        withdrawals = getattr(plan, "withdrawals", None) or ()
        total = len(records) + len(withdrawals) if isinstance(records, list) and isinstance(withdrawals, list) else None
        entry = self.outbox.build(self.partner, _chain(records, withdrawals), self.link.recipients,
                                  progress=progress, total=total)
        if entry is not None:
            # After the outbox row: a crash in between re-sends, it never loses.
            self.planner.record_shared(self.session, self.partner, plan, entry.batch_id)
        return entry

    def send_now(self, progress: ProgressCallback | None = None) -> http.PushResult:
        """Queue what is new, then push every unacknowledged batch to the hub."""
        http.check_url(self.link.hub_url)  # a USB-only partner: say so before building anything
        self.queue_new(progress)
        result = http.push(self.session, self.link, outbox=self.outbox, policy=self.policy, progress=progress)
        self.session.audit("share_push", "partner", self.partner, {
            "acknowledged": len(result.acknowledged), "failed": len(result.failed)})
        return result

    def send_if_reachable(self, progress: ProgressCallback | None = None) -> http.PushResult | None:
        """The app's automatic attempt: send now if the hub answers, else None (never a network error)."""
        if self.link.hub_url is None or not self.reachable():
            return None
        try:
            return self.send_now(progress)
        except HubUnreachable:
            return None  # it went away again; the batch stays queued and the status says why

    def export_to_usb(self, folder: Path, progress: ProgressCallback | None = None) -> usb.ExportResult:
        """Queue what is new, then write every unacknowledged batch to a USB folder."""
        self.queue_new(progress)
        return usb.export_batches(self.outbox, self.partner, Path(folder), progress)

    def import_receipts(self, folder: Path) -> usb.ReceiptImport:
        """Acknowledge batches whose receipts the partner's hub wrote onto the stick."""
        return import_receipts(self.session, folder, self.planner, self.data_dir)


def import_receipts(session: Session, folder: Path, planner: Planner | None = None,
                    data_dir: Path | None = None) -> usb.ReceiptImport:
    """Read receipts from a folder for any partner, verifying each with that partner's hub key."""
    session.require(Permission.SHARE)
    planner = planner or DeidPlanner()
    data_dir = Path(data_dir) if data_dir is not None else session.store.data_dir
    keys: dict[str, str] = {}

    def key_for(partner: str) -> str:
        if partner not in keys:
            sync = PartnerSync(session, partner, planner=planner, data_dir=data_dir)
            keys[partner] = require_hub_key(session, sync.link)
        return keys[partner]

    outcome = usb.import_receipts(Outbox(session, data_dir), Path(folder), key_for)
    session.audit("receipts_imported_usb", "outbox", "", {
        "acknowledged": len(outcome.acknowledged), "rejected": len(outcome.rejected)})
    return outcome


def statuses(session: Session, partners: list[str], planner: Planner | None = None) -> list[PartnerStatus]:
    """Status of several partners (those with agreements, plus any with batches)."""
    names = sorted(set(partners) | set(Outbox(session).partners()))
    return [PartnerSync(session, name, planner=planner).status() for name in names]


def _chain(*groups: Any) -> Any:
    for group in groups:
        yield from group


def describe_push(result: http.PushResult) -> str:
    """One sentence about a push, for the command line and the screen."""
    if result.failed:
        return _("Sent {sent} batches to {partner}; {failed} could not be delivered: {reason}").format(
            sent=len(result.acknowledged), partner=result.partner, failed=len(result.failed),
            reason=next(iter(result.failed.values())))
    if not result.acknowledged:
        return _("Nothing is waiting to be sent to {partner}.").format(partner=result.partner)
    if result.rejected:
        return _("Sent {sent} batches ({records} records) to {partner}; the hub confirmed them but refused "
                 "{rejected} records that do not fit its vocabulary: check the agreement.").format(
            sent=len(result.acknowledged), records=result.records, partner=result.partner,
            rejected=result.rejected)
    return _("Sent {sent} batches ({records} records) to {partner}; the hub confirmed each one.").format(
        sent=len(result.acknowledged), records=result.records, partner=result.partner)

