"""The audit trail: append-only, each entry chained to the one before by SHA-256.

An entry records who did what and when (unlock, view, create, update, export,
share, user changes), never answers. The chain head (last sequence number and
hash) is also kept in ``settings``, so removing the newest entry is detected too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from tipintake.i18n import _

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def _digest(prev: str, seq: int, at: str, actor: str, action: str, otype: str, oid: str, detail: str) -> str:
    body = json.dumps([seq, at, actor, action, otype, oid, detail], ensure_ascii=False)
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def append(
    conn: Connection,
    actor: str,
    action: str,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
) -> int:
    """Add one entry in the caller's transaction; returns its sequence number."""
    head = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": HEAD_KEY}).scalar()
    seq, prev = (0, GENESIS) if head is None else json.loads(head)
    seq += 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    detail_text = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False)
    digest = _digest(prev, seq, at, actor, action, object_type, object_id, detail_text)
    conn.execute(
        text(
            "INSERT INTO audit(seq, at, actor, action, object_type, object_id, detail, prev_hash, hash) "
            "VALUES (:seq, :at, :actor, :action, :ot, :oid, :detail, :prev, :hash)"
        ),
        {"seq": seq, "at": at, "actor": actor, "action": action, "ot": object_type,
         "oid": object_id, "detail": detail_text, "prev": prev, "hash": digest},
    )
    conn.execute(
        text("INSERT INTO settings(key, value) VALUES (:k, :v) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"k": HEAD_KEY, "v": json.dumps([seq, digest])},
    )
    return seq


@dataclass(frozen=True)
class Problem:
    """One place where the chain is broken."""

    seq: int
    reason: str


def verify(conn: Connection) -> list[Problem]:
    """Every break in the chain: altered, removed, inserted or reordered entries."""
    problems: list[Problem] = []
    prev = GENESIS
    expected = 1
    last_seq, last_hash = 0, GENESIS
    rows = conn.execute(
        text("SELECT seq, at, actor, action, object_type, object_id, detail, prev_hash, hash "
             "FROM audit ORDER BY seq")
    )
    for seq, at, actor, action, otype, oid, detail, prev_hash, digest in rows:
        if seq != expected:
            problems.append(Problem(expected, _("entries {first} to {last} are missing").format(
                first=expected, last=seq - 1)))
        if prev_hash != prev:
            problems.append(Problem(seq, _("does not follow the entry before it (removed or reordered)")))
        if _digest(prev_hash, seq, at, actor, action, otype, oid, detail) != digest:
            problems.append(Problem(seq, _("was altered")))
        prev, expected = digest, seq + 1
        last_seq, last_hash = seq, digest
    head = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": HEAD_KEY}).scalar()
    if head is not None:
        head_seq, head_hash = json.loads(head)
        if (head_seq, head_hash) != (last_seq, last_hash):
            problems.append(Problem(last_seq + 1, _("the newest entries were removed or altered")))
    elif last_seq:
        problems.append(Problem(0, _("the chain head is missing")))
    return problems


def recent(conn: Connection, limit: int = 100, object_id: str | None = None) -> list[dict[str, Any]]:
    """The newest entries (optionally for one object), newest first."""
    sql = "SELECT seq, at, actor, action, object_type, object_id, detail FROM audit"
    params: dict[str, Any] = {"limit": limit}
    if object_id:
        sql += " WHERE object_id = :oid"
        params["oid"] = object_id
    sql += " ORDER BY seq DESC LIMIT :limit"
    return [dict(row._mapping) for row in conn.execute(text(sql), params)]
