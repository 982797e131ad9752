"""Batches by USB stick: export for a partner, and read back the receipts its hub wrote.

Export copies every unacknowledged batch of a partner into a folder (the stick),
flat, as docs/batch-format.md describes: for each batch the payload, then the
manifest, each written to ``<name>.tmp``, flushed and fsynced, renamed, and then
read back from the stick (after asking the OS to drop its cached copy) and checked
against the signed manifest. The manifest goes last, so a manifest on the stick
always means a complete batch; a write cut off part way leaves only a ``.tmp`` file
or a payload without manifest, which the hub ignores and the next export replaces.
A batch already on the stick and intact is not written again.

``tipintake hub import`` on the partner's side writes ``<batch_id>.receipt.json``
beside each batch; :func:`import_receipts` verifies each with the partner's hub
receipt key and acknowledges the batch. Receipts for other devices are ignored.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tipintake.errors import BatchRejected
from tipintake.i18n import _
from tipintake.store.atomic import fsync_dir
from tipintake.sync import batch, signing
from tipintake.sync.errors import UsbWriteFailed
from tipintake.sync.outbox import Outbox, OutboxEntry
from tipintake.sync.progress import Progress, ProgressCallback, report
from tipintake.sync.receipt import RECEIPT_SUFFIX

CHUNK = 1 << 20


@dataclass
class ExportResult:
    """What an export wrote: batch ids written now, and those already intact on the stick."""

    partner: str
    folder: Path
    written: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    records: int = 0


@dataclass
class ReceiptImport:
    """What reading receipts from a stick did."""

    acknowledged: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_ours: int = 0
    rejected: dict[str, str] = field(default_factory=dict)  # file name -> reason


def export_batches(
    outbox: Outbox, partner: str, folder: Path, progress: ProgressCallback | None = None
) -> ExportResult:
    """Write every unacknowledged batch of ``partner`` into ``folder``, atomically and verified."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsbWriteFailed(_("The folder {folder} does not exist: is the USB stick plugged in?").format(folder=folder))
    entries = outbox.unacknowledged(partner)
    result = ExportResult(partner, folder)
    for index, entry in enumerate(entries):
        manifest = outbox.check_files(entry)  # a damaged batch stops the export: it must not leave
        try:
            wrote = _export_one(entry, manifest, folder, progress, index, len(entries))
        except OSError as exc:
            message = _("Writing to the USB stick failed part way; the batch is still in the outbox, "
                        "so export again (with another stick if it happens again).")
            outbox.note_attempt(entry.batch_id, message)
            raise UsbWriteFailed(message) from exc
        (result.written if wrote else result.already_there).append(entry.batch_id)
        result.records += entry.record_count
        outbox.mark_delivered(entry.batch_id)
        outbox.note_attempt(entry.batch_id, None)
    if entries:
        outbox.session.audit("batches_exported_usb", "partner", partner, {
            "batches": len(entries), "written": len(result.written)})
    report(progress, Progress("done", partner, len(entries), len(entries)))
    return result


def _export_one(entry: OutboxEntry, manifest: batch.Manifest, folder: Path,
                progress: ProgressCallback | None, index: int, count: int) -> bool:
    """Copy one batch; False if it was already on the stick and intact."""
    payload_target = folder / entry.payload_path.name
    manifest_target = folder / entry.manifest_path.name
    manifest_bytes = entry.manifest_bytes
    if _intact(manifest_target, manifest_bytes, payload_target, manifest):
        return False
    for stale in (payload_target.with_name(payload_target.name + ".tmp"),
                  manifest_target.with_name(manifest_target.name + ".tmp")):
        stale.unlink(missing_ok=True)
    manifest_target.unlink(missing_ok=True)  # a manifest must never point at an old payload

    def tick(done: int) -> None:
        report(progress, Progress("writing", entry.partner, index, count, done, manifest.payload.size))

    _copy_atomic(entry.payload_path, payload_target, tick)
    report(progress, Progress("verifying", entry.partner, index, count, manifest.payload.size, manifest.payload.size))
    try:
        batch.verify_payload(manifest, payload_target)
    except BatchRejected as exc:
        raise OSError("read-back of the payload does not match") from exc
    _write_bytes_atomic(manifest_target, manifest_bytes)
    if _read_uncached(manifest_target) != manifest_bytes:
        raise OSError("read-back of the manifest does not match")
    return True


def _intact(manifest_target: Path, manifest_bytes: bytes, payload_target: Path, manifest: batch.Manifest) -> bool:
    try:
        if _read_uncached(manifest_target) != manifest_bytes:
            return False
        batch.verify_payload(manifest, payload_target)
    except (OSError, BatchRejected):
        return False
    return True


def _copy_atomic(source: Path, target: Path, tick: Callable[[int], None]) -> None:
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            done = 0
            while chunk := src.read(CHUNK):
                _write_chunk(dst, chunk)
                done += len(chunk)
                tick(done)
            dst.flush()
            os.fsync(dst.fileno())
            _drop_cache(dst.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def _write_chunk(handle: object, chunk: bytes) -> None:
    """One write to the stick (a seam for tests that cut a write off part way)."""
    handle.write(chunk)  # type: ignore[attr-defined]


def _write_bytes_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open(tmp, "wb") as dst:
            _write_chunk(dst, data)
            dst.flush()
            os.fsync(dst.fileno())
            _drop_cache(dst.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def _drop_cache(fd: int) -> None:
    """Ask the OS to forget cached pages, so the read-back comes from the stick itself."""
    if hasattr(os, "posix_fadvise"):
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass


def _read_uncached(path: Path) -> bytes:
    with open(path, "rb") as handle:
        _drop_cache(handle.fileno())
        return handle.read(batch.MAX_MANIFEST_BYTES + 1)


def import_receipts(
    outbox: Outbox, folder: Path, hub_key_for: Callable[[str], str]
) -> ReceiptImport:
    """Acknowledge every batch whose receipt in ``folder`` verifies; report the others.

    ``hub_key_for(partner)`` gives the trusted receipt key for the partner the batch
    was built for (and raises a SyncError when none is known).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsbWriteFailed(_("The folder {folder} does not exist: is the USB stick plugged in?").format(folder=folder))
    outcome = ReceiptImport()
    for path in sorted(folder.glob("*" + RECEIPT_SUFFIX)):
        batch_id = path.name[: -len(RECEIPT_SUFFIX)]
        entry = outbox.get(batch_id)
        if entry is None:
            outcome.not_ours += 1
            continue
        try:
            data = path.read_bytes()
            signing.open_envelope(data, "receipt", "receipt")  # malformed files fail before a key is needed
            was = entry.state
            receipt = outbox.acknowledge(entry.partner, data, hub_key_for(entry.partner))
        except BatchRejected as exc:
            outcome.rejected[path.name] = exc.reason
            continue
        except OSError:
            outcome.rejected[path.name] = _("The receipt file cannot be read from the stick.")
            continue
        (outcome.already if was == "acknowledged" else outcome.acknowledged).append(receipt.batch_id)
    return outcome
