"""The outbox: batches built for a partner, kept until the partner's hub signs a receipt.

A batch is written (streamed, by ``sync.batch.write_batch``) into
``<data-dir>/outbox/<partner>/`` as two files that are age-encrypted to the partner
and signed by this device, then recorded as a row of the ``outbox`` table with the
next per-partner sequence number. Each row goes ``pending`` (built) → ``delivered``
(left this laptop at least once: uploaded, or written and verified on a USB stick)
→ ``acknowledged`` (a receipt signed by the partner's hub key arrived and matched).
Pending and delivered batches are offered again on every push or export; nothing
local is deleted because a batch was sent.

Ordering makes crashes harmless: the files are complete before the row exists, and
the row exists before the de-identification ledger says the records were shared.
A crash in between at worst sends a record twice, which the hub counts as a
duplicate (same case, same revision), so every record is stored there exactly once.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tipintake.errors import BatchRejected
from tipintake.i18n import _
from tipintake.store.atomic import write_atomic
from tipintake.store.models import OutboxBatch
from tipintake.store.session import Session, now
from tipintake.sync import batch, signing
from tipintake.sync.device import device_key
from tipintake.sync.errors import DamagedBatch, SyncError
from tipintake.sync.progress import Progress, ProgressCallback, report
from tipintake.sync.receipt import verify_receipt
from tipintake.sync.records import CaseRecord, Receipt, Withdrawal

PENDING, DELIVERED, ACKNOWLEDGED = "pending", "delivered", "acknowledged"
STATES = (PENDING, DELIVERED, ACKNOWLEDGED)
OUTBOX_DIR = "outbox"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_PROGRESS_EVERY = 1000  # records between build progress reports
ORPHAN_AGE = 3600.0  # seconds before an unqueued batch file counts as left over from a crash

T = OutboxBatch.__table__


@dataclass(frozen=True)
class OutboxEntry:
    """One batch in the outbox, as the transports and the share screen see it."""

    batch_id: str
    partner: str
    sequence: int
    state: str
    record_count: int
    created_at: datetime
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    attempts: int
    last_error: str | None
    manifest_path: Path
    payload_path: Path

    @property
    def manifest_bytes(self) -> bytes:
        """The signed manifest as it was written (and as the hub must receive it)."""
        return self.manifest_path.read_bytes()


def partner_folder_name(partner: str) -> str:
    """A file-system-safe folder name for a partner (a hash when the name is not plain ASCII)."""
    if _SAFE_NAME.match(partner) and partner not in (".", ".."):
        return partner
    return "p-" + hashlib.sha256(partner.encode("utf-8")).hexdigest()[:24]


def as_payload_item(item: Any) -> CaseRecord | Withdrawal | Mapping[str, Any]:
    """A plan item as a payload line: records and mappings pass, a bare pseudonym is a withdrawal."""
    if isinstance(item, str):
        return Withdrawal(case=item)
    return item


class Outbox:
    """The outbox of one unlocked store."""

    def __init__(self, session: Session, data_dir: Path | None = None) -> None:
        self.session = session
        self.data_dir = Path(data_dir) if data_dir is not None else session.store.data_dir

    # -- where the files are ---------------------------------------------------
    def folder(self, partner: str) -> Path:
        """The folder holding a partner's batch files."""
        return self.data_dir / OUTBOX_DIR / partner_folder_name(partner)

    # -- building --------------------------------------------------------------
    def build(
        self,
        partner: str,
        items: Iterable[Any],
        recipients: Iterable[Any],
        *,
        progress: ProgressCallback | None = None,
        total: int | None = None,
    ) -> OutboxEntry | None:
        """Write the items as a new batch and queue it; None when there was nothing to send.

        ``items`` (records, withdrawals, or pseudonyms of withdrawn cases) are read once,
        as a stream; ``total`` (their number, if known) only feeds progress reports. The
        caller records the share in the ledger after this returns.
        """
        key = device_key(self.session)
        folder = self.folder(partner)
        folder.mkdir(parents=True, exist_ok=True)
        self._remove_orphans(partner)
        sequence = self._next_sequence(partner)
        if total is None:
            total = len(items) if isinstance(items, Sized) else 0
        counted = _Counting(items, lambda done: report(
            progress, Progress("building", partner, 0, 1, done, total)))
        info = batch.write_batch(
            counted,
            device_key=key,
            manifest_fields=batch.ManifestFields(
                organisation=str(self.session.setting("organisation", "")), sequence=sequence
            ),
            recipients=recipients,
            out_dir=folder,
        )
        if counted.count == 0:
            info.manifest_path.unlink(missing_ok=True)
            info.payload_path.unlink(missing_ok=True)
            return None
        manifest = info.manifest
        try:
            with self.session.engine.begin() as conn:
                conn.execute(insert(T).values(
                    batch_id=manifest.batch_id, partner=partner, sequence=sequence, state=PENDING,
                    record_count=manifest.record_count + manifest.withdrawal_count,
                    created_at=now(), manifest=info.manifest_path.read_text("utf-8"), attempts=0,
                ))
        except IntegrityError:
            info.manifest_path.unlink(missing_ok=True)
            info.payload_path.unlink(missing_ok=True)
            raise SyncError(_("Another window is preparing a batch for this partner: try again in a moment.")) from None
        self.session.audit("batch_built", "batch", manifest.batch_id, {
            "partner": partner, "sequence": sequence, "records": manifest.record_count,
            "withdrawals": manifest.withdrawal_count,
        })
        return self.get(manifest.batch_id)

    def _remove_orphans(self, partner: str) -> None:
        """Delete files of builds cut off before their row existed (never queued, never sent).

        Only files older than ORPHAN_AGE: a build running in another window right now
        has files without a row for a moment, and must keep them.
        """
        folder = self.folder(partner)
        with self.session.engine.connect() as conn:
            known = set(conn.execute(select(T.c.batch_id).where(T.c.partner == partner)).scalars())
        cutoff = time.time() - ORPHAN_AGE
        for path in folder.iterdir():
            batch_id = path.name.split(".", 1)[0]
            try:
                if batch_id not in known and path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue

    def _next_sequence(self, partner: str) -> int:
        with self.session.engine.connect() as conn:
            highest = conn.execute(select(func.max(T.c.sequence)).where(T.c.partner == partner)).scalar()
        return int(highest or 0) + 1

    # -- reading ---------------------------------------------------------------
    def get(self, batch_id: str) -> OutboxEntry | None:
        """One batch by id, or None."""
        with self.session.engine.connect() as conn:
            row = conn.execute(select(T).where(T.c.batch_id == batch_id)).first()
        return None if row is None else self._entry(row)

    def entries(self, partner: str, states: Iterable[str] = STATES) -> list[OutboxEntry]:
        """A partner's batches in the given states, oldest (lowest sequence) first."""
        with self.session.engine.connect() as conn:
            rows = conn.execute(
                select(T).where(T.c.partner == partner, T.c.state.in_(list(states))).order_by(T.c.sequence)
            ).all()
        return [self._entry(row) for row in rows]

    def unacknowledged(self, partner: str) -> list[OutboxEntry]:
        """Batches still to be offered to the partner: pending and delivered."""
        return self.entries(partner, (PENDING, DELIVERED))

    def partners(self) -> list[str]:
        """Every partner that has a batch in the outbox."""
        with self.session.engine.connect() as conn:
            return list(conn.execute(select(T.c.partner).distinct().order_by(T.c.partner)).scalars())

    def counts(self, partner: str) -> dict[str, int]:
        """Number of batches per state for a partner (every state present, zero if none)."""
        with self.session.engine.connect() as conn:
            rows = conn.execute(
                select(T.c.state, func.count()).where(T.c.partner == partner).group_by(T.c.state)
            ).all()
        found = {state: int(n) for state, n in rows}
        return {state: found.get(state, 0) for state in STATES}

    def _entry(self, row: Any) -> OutboxEntry:
        folder = self.folder(row.partner)
        return OutboxEntry(
            batch_id=row.batch_id, partner=row.partner, sequence=row.sequence, state=row.state,
            record_count=row.record_count, created_at=row.created_at, delivered_at=row.delivered_at,
            acknowledged_at=row.acknowledged_at, attempts=row.attempts, last_error=row.last_error,
            manifest_path=folder / batch.manifest_name(row.batch_id),
            payload_path=folder / batch.payload_name(row.batch_id),
        )

    # -- state changes -----------------------------------------------------------
    def check_files(self, entry: OutboxEntry) -> batch.Manifest:
        """Re-verify a batch's own files before they leave (disk damage, tampering)."""
        try:
            signed = batch.read_manifest(entry.manifest_path)
            manifest = batch.verify_manifest(signed, [device_key(self.session).public_key()])
            batch.verify_payload(manifest, entry.payload_path)
        except FileNotFoundError:
            raise DamagedBatch(_("A batch file is missing from the outbox folder, so it cannot be sent.")) from None
        except BatchRejected as exc:
            raise DamagedBatch(_("A batch in the outbox failed its own check, so it was not sent: {reason}").format(
                reason=exc.reason)) from None
        if manifest.batch_id != entry.batch_id:
            raise DamagedBatch(_("A batch file in the outbox folder belongs to another batch."))
        return manifest

    def resequence(self, batch_id: str, jump: int = 1) -> OutboxEntry:
        """Re-sign a batch's manifest with a new, higher sequence number; the payload is unchanged.

        For a hub that already holds another batch of this device under the batch's
        number (this store was restored from an older backup): the hub refuses the
        number, never the records. Gaps are allowed by the format, so ``jump`` may skip
        ahead to find a free number in a few tries.
        """
        entry = self.get(batch_id)
        if entry is None or entry.state == ACKNOWLEDGED:
            raise SyncError(_("Only a batch still waiting for its receipt can be renumbered."))
        manifest = self.check_files(entry)
        sequence = self._next_sequence(entry.partner) + max(1, jump) - 1
        data = batch.sign_manifest(manifest.model_copy(update={"sequence": sequence}), device_key(self.session))
        with self.session.engine.begin() as conn:
            conn.execute(update(T).where(T.c.batch_id == batch_id).values(
                sequence=sequence, manifest=data.decode("utf-8")))
        # After the row: a crash in between leaves the old file, which the hub refuses again.
        write_atomic(entry.manifest_path, data, mode=0o644)
        self.session.audit("batch_resequenced", "batch", batch_id, {"from": entry.sequence, "to": sequence})
        return self.get(batch_id)

    def note_attempt(self, batch_id: str, error: str | None) -> None:
        """Count a delivery attempt and keep its error sentence (None clears it)."""
        with self.session.engine.begin() as conn:
            conn.execute(update(T).where(T.c.batch_id == batch_id).values(
                attempts=T.c.attempts + 1, last_error=error))

    def mark_delivered(self, batch_id: str) -> None:
        """The batch left this laptop whole; pending becomes delivered (other states unchanged)."""
        with self.session.engine.begin() as conn:
            conn.execute(update(T).where(T.c.batch_id == batch_id, T.c.state == PENDING).values(
                state=DELIVERED, delivered_at=now()))

    def acknowledge(self, partner: str, receipt_bytes: bytes, hub_key: Ed25519PublicKey | str) -> Receipt:
        """Verify a receipt with the partner's hub key and mark its batch acknowledged.

        Raises BatchRejected (nothing changed) if the signature, the signer, the batch
        or the device does not match. A second receipt for an acknowledged batch is
        accepted and changes nothing: the first one is kept.
        """
        receipt = verify_receipt(receipt_bytes, hub_key)
        entry = self.get(receipt.batch_id)
        if entry is None or entry.partner != partner:
            raise BatchRejected(_("The receipt is for a batch this device did not send to this partner."))
        if receipt.device_id != signing.key_id(device_key(self.session)):
            raise BatchRejected(_("The receipt names a different device from this one."))
        if entry.state == ACKNOWLEDGED:
            return receipt
        stamp = now()
        with self.session.engine.begin() as conn:
            conn.execute(update(T).where(T.c.batch_id == receipt.batch_id, T.c.state != ACKNOWLEDGED).values(
                state=ACKNOWLEDGED, acknowledged_at=stamp, receipt=receipt_bytes.decode("utf-8"),
                last_error=None, delivered_at=func.coalesce(T.c.delivered_at, stamp),
            ))
        self.session.audit("batch_acknowledged", "batch", receipt.batch_id, {
            "partner": partner, "accepted": receipt.accepted, "duplicates": receipt.duplicates,
            "withdrawals": receipt.withdrawals, "rejected": receipt.rejected_count,
        })
        return receipt

    def receipt(self, batch_id: str) -> bytes | None:
        """The stored signed receipt of an acknowledged batch."""
        with self.session.engine.connect() as conn:
            value = conn.execute(select(T.c.receipt).where(T.c.batch_id == batch_id)).scalar()
        return None if value is None else value.encode("utf-8")


class _Counting:
    """Passes items through to the batch writer, counting them and reporting progress."""

    def __init__(self, items: Iterable[Any], tick: Any) -> None:
        self._items = items
        self._tick = tick
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self.count += 1
            if self.count % _PROGRESS_EVERY == 0:
                self._tick(self.count)
            yield as_payload_item(item)
        self._tick(self.count)
