"""Pseudonymous case ids and date shifts, one secret per partner.

The id a partner sees is ``p-`` + the first 128 bits of HMAC-SHA256(partner secret,
internal case id). The secret is 256 random bits kept in the encrypted store's settings,
so: a partner links revisions of one case (the id is stable), cannot reverse it to the
internal id (keyed hash), and two partners cannot link their copies (different keys).
The optional date shift is derived from the same secret, so it is the same for every
date of a case (intervals survive) and for every batch, yet different per partner.
"""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tipintake.store.session import Session

PREFIX = "p-"


def _secret_key(partner: str) -> str:
    return f"deid.partner_secret.{partner}"


def partner_secret(session: Session, partner: str) -> bytes:
    """The partner's pseudonym secret, created (and audited) on first use."""
    stored = session.setting(_secret_key(partner))
    if stored is None:
        stored = secrets.token_hex(32)
        session.set_setting(_secret_key(partner), stored)
        session.audit("partner_secret_created", "partner", partner)
    return bytes.fromhex(stored)


def pseudonym(secret: bytes, case_id: str) -> str:
    """The partner's stable id for a case (letters, digits and '-', 34 characters)."""
    return PREFIX + hmac.digest(secret, b"case\x00" + case_id.encode("utf-8"), "sha256")[:16].hex()


def date_shift_days(secret: bytes, case_id: str, max_days: int) -> int:
    """A shift in [-max_days, +max_days] for every date of a case, never 0 when max_days > 0."""
    if max_days <= 0:
        return 0
    mac = hmac.digest(secret, b"shift\x00" + case_id.encode("utf-8"), "sha256")
    n = int.from_bytes(mac[:8], "big") % (2 * max_days)
    # 0..2m-1 → -m..-1, 1..m: a zero shift would leave a case's dates exact.
    return n - max_days if n < max_days else n - max_days + 1
