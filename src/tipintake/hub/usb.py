"""Importing batches from a USB stick and writing the receipts back onto it.

The stick holds batches as the device wrote them (docs/batch-format.md). Each
complete batch goes through the same checks as over HTTP; a receipt lands beside it
as ``<batch_id>.receipt.json`` (written to a temporary name, flushed, renamed), so
the device can pick it up. A refused batch gets no receipt: the device keeps it and
the operator sees the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tipintake.errors import BatchRejected, UserError
from tipintake.hub.ingest import Hub, check_manifest, ingest_payload
from tipintake.sync.batch import MAX_MANIFEST_BYTES, find_batches
from tipintake.sync.receipt import receipt_name


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one batch on the stick."""

    batch_id: str
    receipt: Path | None
    reason: str | None = None  # why it was refused, when it was


def import_folder(hub: Hub, folder: Path, max_batch_bytes: int | None = None) -> list[ImportResult]:
    """Ingest every complete batch in ``folder``; write receipts beside them."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.")
    results = []
    for manifest_path, payload_path in find_batches(folder):
        batch_id = payload_path.name.removesuffix(".age")
        try:
            manifest_bytes = manifest_path.read_bytes()[: MAX_MANIFEST_BYTES + 1]
            incoming = check_manifest(hub, manifest_bytes)
            if max_batch_bytes is not None and incoming.manifest.payload.size > max_batch_bytes:
                raise BatchRejected("The batch is larger than this hub accepts.")
            with open(payload_path, "rb") as payload:
                receipt = ingest_payload(hub, incoming, payload)
        except BatchRejected as exc:
            results.append(ImportResult(batch_id, None, exc.reason))
            continue
        target = folder / receipt_name(batch_id)
        _write_atomic(target, receipt)
        results.append(ImportResult(batch_id, target))
    return results


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
