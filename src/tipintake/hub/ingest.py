"""Receiving a batch: verify, decrypt, validate, store idempotently, sign a receipt.

One pipeline for HTTP and USB. :func:`check_manifest` runs before any payload byte
is read (unknown device, bad signature, reused batch id or sequence); then
:func:`ingest_payload` checks the payload hash, decrypts it as a stream, and applies
its lines inside one database transaction, so a batch is stored whole or not at all.
A record carrying a direct identifier, an unknown element or an invalid value is
rejected alone and listed in the receipt; the rest of the batch is stored. Nothing
from the payload is logged: only ids and counts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tipintake.errors import BatchRejected
from tipintake.hub.db import Tables, find_device
from tipintake.hub.keys import HubKeys
from tipintake.hub.vocabulary import Vocabulary, row_key
from tipintake.sync import batch, signing
from tipintake.sync.receipt import sign_receipt, utc_now_text
from tipintake.sync.records import CaseRecord, Receipt, RejectedRecord, Withdrawal, parse_line

log = logging.getLogger("tipintake.hub")
FLUSH_EVERY = 1000
MAX_LISTED_REJECTIONS = 1000


class HubRejected(BatchRejected):
    """A batch the hub refuses; ``status`` is the HTTP status that says why."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


@dataclass
class Hub:
    """Everything ingest needs: storage, keys, vocabulary, and the ingest lock."""

    engine: Engine
    tables: Tables
    keys: HubKeys
    vocabulary: Vocabulary
    # One batch at a time: keeps SQLite free of write contention and makes the
    # replay and sequence checks race-free on PostgreSQL too.
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Incoming:
    """A manifest that passed every check that needs no payload."""

    manifest: batch.Manifest
    manifest_sha256: str
    stored_receipt: bytes | None  # set when this very batch was already stored


def check_manifest(hub: Hub, manifest_bytes: bytes) -> Incoming:
    """Verify a manifest against the enrolled devices and past batches; HubRejected if not."""
    try:
        signed = batch.read_manifest(manifest_bytes)
    except BatchRejected as exc:
        raise HubRejected(exc.reason, 400) from exc
    device_id = signing.key_id(signed.signer)
    device = find_device(hub.engine, hub.tables, device_id)
    if device is None:
        raise HubRejected("The batch was signed by a device that is not enrolled at this hub.", 403)
    try:
        manifest = batch.verify_manifest(signed, [device.public_key])
    except BatchRejected as exc:
        raise HubRejected(exc.reason, 403) from exc
    if manifest.organisation != device.organisation:
        raise HubRejected("The batch names an organisation its device is not enrolled for.", 403)
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    t = hub.tables.batches
    with hub.engine.connect() as conn:
        seen = conn.execute(
            select(t.c.manifest_sha256, t.c.receipt, t.c.device_id).where(t.c.batch_id == manifest.batch_id)
        ).first()
        if seen is not None:
            if seen.manifest_sha256 != digest:
                raise HubRejected("This batch id was already used for a different batch.", 409)
            return Incoming(manifest, digest, seen.receipt.encode("utf-8"))
        if conn.execute(
            select(t.c.batch_id).where(t.c.device_id == device_id, t.c.sequence == manifest.sequence)
        ).first():
            raise HubRejected("This device already sent another batch with the same sequence number.", 409)
    return Incoming(manifest, digest, None)


@dataclass
class _Tally:
    accepted: int = 0
    duplicates: int = 0
    withdrawals: int = 0
    rejected_count: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    records: int = 0
    lines: int = 0

    def reject(self, line: int, case: str | None, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_LISTED_REJECTIONS:
            self.rejected.append(RejectedRecord(line=line, case=case, reason=reason))


def ingest_payload(hub: Hub, incoming: Incoming, payload: BinaryIO) -> bytes:
    """Check, decrypt and store a payload for a checked manifest; returns the signed receipt."""
    if incoming.stored_receipt is not None:
        return incoming.stored_receipt
    manifest = incoming.manifest
    payload.seek(0)
    batch.verify_payload(manifest, payload)
    payload.seek(0)
    try:
        return _ingest_locked(hub, incoming, payload)
    except IntegrityError as exc:  # another process of the same hub stored a clashing batch
        raise HubRejected("This batch id or sequence number was used by a batch stored meanwhile.", 409) from exc


def _ingest_locked(hub: Hub, incoming: Incoming, payload: BinaryIO) -> bytes:
    manifest = incoming.manifest
    with hub.lock, hub.engine.begin() as conn:
        again = conn.execute(
            select(hub.tables.batches.c.receipt).where(hub.tables.batches.c.batch_id == manifest.batch_id)
        ).first()
        if again is not None:  # the same batch arrived twice at once; the first one won
            return again.receipt.encode("utf-8")
        if conn.dialect.name == "postgresql":
            # Every query below is a key lookup with up to 1000 parameters. psycopg
            # prepares repeated statements, and PostgreSQL's generic plan for them on a
            # table that grew since its last ANALYZE scans the table: measured 4x slower
            # ingest of a first big batch. Custom plans on index lookups suit every size.
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        tally = _apply(hub, conn, manifest, batch.iter_payload_lines(payload, hub.keys.identity))
        # Counted by lines, not by type: a malformed line is rejected alone, yet a
        # truncated or padded payload must still fail as a whole.
        if tally.lines != manifest.record_count + manifest.withdrawal_count:
            raise HubRejected("The payload holds a different number of lines from what the manifest says.", 400)
        receipt = Receipt(
            batch_id=manifest.batch_id, device_id=manifest.device_id, accepted=tally.accepted,
            duplicates=tally.duplicates, withdrawals=tally.withdrawals,
            rejected_count=tally.rejected_count, rejected=tally.rejected,
            hub_key_id=hub.keys.key_id, received_at=utc_now_text(),
        )
        signed = sign_receipt(receipt, hub.keys.receipt_key)
        conn.execute(insert(hub.tables.batches).values(
            batch_id=manifest.batch_id, device_id=manifest.device_id, sequence=manifest.sequence,
            manifest_sha256=incoming.manifest_sha256, received_at=receipt.received_at,
            receipt=signed.decode("utf-8"),
        ))
    log.info(
        "batch %s from device %s: %d accepted, %d duplicates, %d withdrawals, %d rejected",
        manifest.batch_id, manifest.device_id, tally.accepted, tally.duplicates,
        tally.withdrawals, tally.rejected_count,
    )
    return signed


def _apply(hub: Hub, conn: Connection, manifest: batch.Manifest, lines: Any) -> _Tally:
    tally = _Tally()
    pending: dict[str, tuple[int, CaseRecord]] = {}
    org = manifest.organisation
    for number, line in enumerate(lines, start=1):
        tally.lines = number
        try:
            item = parse_line(line)
        except (ValidationError, ValueError):
            tally.reject(number, None, "The line does not fit the batch record schema.")
            continue
        if isinstance(item, Withdrawal):
            _flush(hub, conn, org, manifest.batch_id, pending, tally)
            _withdraw(hub, conn, org, item.case)
            tally.withdrawals += 1
            continue
        tally.records += 1
        problem = hub.vocabulary.problem(item.values)
        if problem:
            tally.reject(number, item.case, problem)
            continue
        earlier = pending.get(item.case)
        if earlier is not None:  # the same case twice in one batch: keep the newest revision
            tally.duplicates += 1
            if earlier[1].revision >= item.revision:
                continue
        pending[item.case] = (number, item)
        if len(pending) >= FLUSH_EVERY:
            _flush(hub, conn, org, manifest.batch_id, pending, tally)
    _flush(hub, conn, org, manifest.batch_id, pending, tally)
    return tally


def _flush(hub: Hub, conn: Connection, org: str, batch_id: str, pending: dict[str, tuple[int, CaseRecord]], tally: _Tally) -> None:
    if not pending:
        return
    r, w = hub.tables.records, hub.tables.withdrawn
    cases = list(pending)
    stored = dict(conn.execute(
        select(r.c.case_id, r.c.revision).where(r.c.organisation == org, r.c.case_id.in_(cases))
    ).all())
    gone = set(conn.execute(
        select(w.c.case_id).where(w.c.organisation == org, w.c.case_id.in_(cases))
    ).scalars())
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for case, (number, record) in pending.items():
        if case in gone:
            tally.reject(number, case, "Consent for this case was withdrawn, so the hub keeps none of it.")
        elif case in stored and stored[case] >= record.revision:
            tally.duplicates += 1
        else:
            row = _row(hub.vocabulary, org, batch_id, record)
            (updates if case in stored else inserts).append(row)
            tally.accepted += 1
    if inserts:
        conn.execute(insert(r), inserts)
    if updates:
        conn.execute(
            update(r).where(r.c.organisation == bindparam("b_org"), r.c.case_id == bindparam("b_case")),
            [dict(row, b_org=row.pop("organisation"), b_case=row.pop("case_id")) for row in updates],
        )
    pending.clear()


def _row(vocabulary: Vocabulary, org: str, batch_id: str, record: CaseRecord) -> dict[str, Any]:
    released = vocabulary.released_row(record.values)
    row: dict[str, Any] = {
        "organisation": org, "case_id": record.case, "revision": record.revision,
        "form": record.form, "form_version": record.form_version,
        "values_json": json.dumps(record.values, ensure_ascii=False, sort_keys=True),
        "row_key": row_key(released), "batch_id": batch_id,
    }
    row.update(zip(_column_names(tuple(vocabulary.released)), released, strict=True))
    return row


@functools.cache
def _column_names(released: tuple[str, ...]) -> tuple[str, ...]:
    """The released columns' names (``r_<element>``), computed once per vocabulary."""
    return tuple("r_" + name for name in released)


def _withdraw(hub: Hub, conn: Connection, org: str, case: str) -> None:
    r, w = hub.tables.records, hub.tables.withdrawn
    conn.execute(delete(r).where(r.c.organisation == org, r.c.case_id == case))
    if conn.execute(select(w.c.case_id).where(w.c.organisation == org, w.c.case_id == case)).first() is None:
        conn.execute(insert(w).values(organisation=org, case_id=case, withdrawn_at=utc_now_text()))
