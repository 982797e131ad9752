"""Signing and verifying the hub's receipts (format in docs/batch-format.md).

A receipt is the only proof a device accepts that a batch arrived: the outbox keeps
a batch until :func:`verify_receipt` succeeds with the hub key from the partner
agreement. It travels as the HTTP response body or as ``<batch_id>.receipt.json``
on a USB stick, in the same canonical signed envelope as a manifest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import ValidationError

from tipintake.errors import BatchRejected
from tipintake.sync import signing
from tipintake.sync.records import Receipt

RECEIPT_DOMAIN = "tipintake-receipt-v1"
RECEIPT_SUFFIX = ".receipt.json"
MAX_RECEIPT_BYTES = 4 * 1024 * 1024


def receipt_name(batch_id: str) -> str:
    """File name of a batch's receipt."""
    return batch_id + RECEIPT_SUFFIX


def utc_now_text() -> str:
    """The current time as RFC 3339 UTC text with seconds, as receipts and manifests use."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_receipt(receipt: Receipt, hub_key: Ed25519PrivateKey) -> bytes:
    """The receipt file bytes, signed by the hub's receipt key."""
    if receipt.hub_key_id != signing.key_id(hub_key):
        raise BatchRejected("The receipt's hub key id does not belong to the signing key.")
    return signing.sign_envelope("receipt", receipt.model_dump(mode="json"), hub_key, RECEIPT_DOMAIN)


def verify_receipt(source: bytes | Path, hub_public_key: Ed25519PublicKey | str) -> Receipt:
    """Parse and verify a receipt against the hub's public key; raise BatchRejected if it fails."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if len(data) > MAX_RECEIPT_BYTES:
        raise BatchRejected("The receipt is larger than 4 MiB.")
    body, signer, signature = signing.open_envelope(data, "receipt", "receipt")
    if isinstance(hub_public_key, str):
        hub_public_key = signing.parse_public_key(hub_public_key)
    if signing.key_id(signer) != signing.key_id(hub_public_key):
        raise BatchRejected("The receipt was signed by a key other than the partner hub's.")
    try:
        receipt = Receipt.model_validate(body)
    except ValidationError as exc:
        raise BatchRejected("The receipt has missing or invalid fields.") from exc
    if receipt.hub_key_id != signing.key_id(hub_public_key):
        raise BatchRejected("The receipt names a different hub key from the one that signed it.")
    signing.verify_envelope(body, hub_public_key, signature, RECEIPT_DOMAIN, "receipt")
    return receipt
