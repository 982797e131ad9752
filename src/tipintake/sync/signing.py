"""Ed25519 keys and canonical signed JSON envelopes, shared by batches and receipts.

A device signs each batch manifest and the hub signs each receipt. Both are stored
as one *envelope*: a JSON object ``{"<body name>": {...}, "signature": {...}}``
written in canonical form (keys sorted, no insignificant whitespace, UTF-8, one
final newline). The signed message is a domain tag plus the canonical JSON of the
body, so a manifest signature can never be replayed as a receipt signature.
Readers insist that the file *is* its canonical form: any changed byte, even in
whitespace or hex case, is then either a different message or a rejected file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tipintake.errors import BatchRejected

PUBLIC_KEY_PREFIX = "ed25519:"
SIGNATURE_ALGORITHM = "ed25519"


def generate_key() -> Ed25519PrivateKey:
    """A new random Ed25519 signing key (device or hub)."""
    return Ed25519PrivateKey.generate()


def private_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The 32-byte raw seed of a private key, for storing inside an encrypted container."""
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def private_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    """The private key from its 32-byte raw seed."""
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_raw(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """A public key as text for enrolment: ``ed25519:`` and 64 lowercase hex digits."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return PUBLIC_KEY_PREFIX + public_key_raw(key).hex()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Read a public key written by :func:`public_key_text`; raise BatchRejected if malformed."""
    text = text.strip()
    hex_part = text[len(PUBLIC_KEY_PREFIX):] if text.startswith(PUBLIC_KEY_PREFIX) else ""
    if len(hex_part) != 64 or hex_part != hex_part.lower():
        raise BatchRejected("The public key is not of the form 'ed25519:' followed by 64 hex digits.")
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(hex_part))
    except ValueError as exc:
        raise BatchRejected("The public key is not a valid Ed25519 key.") from exc


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey | str) -> str:
    """The stable short id of a public key: first 16 bytes of SHA-256 of the raw key, in hex."""
    if isinstance(key, str):
        key = parse_public_key(key)
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return hashlib.sha256(public_key_raw(key)).hexdigest()[:32]


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no spaces, UTF-8 (strings, integers, lists, objects)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sign_envelope(body_name: str, body: dict[str, Any], key: Ed25519PrivateKey, domain: str) -> bytes:
    """The file bytes of a signed envelope around ``body``."""
    message = domain.encode("ascii") + b"\n" + canonical_json(body)
    envelope = {
        body_name: body,
        "signature": {
            "algorithm": SIGNATURE_ALGORITHM,
            "public_key": public_key_text(key),
            "value": key.sign(message).hex(),
        },
    }
    return canonical_json(envelope) + b"\n"


def open_envelope(data: bytes, body_name: str, what: str) -> tuple[dict[str, Any], str, bytes]:
    """Parse an envelope strictly: returns (body, signer public key text, signature bytes).

    Does not verify the signature (see :func:`verify_envelope`); ``what`` names the
    document in error sentences ("manifest", "receipt").
    """
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BatchRejected(f"The {what} is not valid JSON.") from exc
    if not isinstance(envelope, dict) or set(envelope) != {body_name, "signature"}:
        raise BatchRejected(f"The {what} must hold exactly '{body_name}' and 'signature'.")
    body, signature = envelope[body_name], envelope["signature"]
    if not isinstance(body, dict) or not isinstance(signature, dict):
        raise BatchRejected(f"The {what} has a malformed '{body_name}' or 'signature'.")
    if set(signature) != {"algorithm", "public_key", "value"} or signature["algorithm"] != SIGNATURE_ALGORITHM:
        raise BatchRejected(f"The {what} signature is not an Ed25519 signature.")
    try:
        if canonical_json(envelope) + b"\n" != data:
            raise BatchRejected(f"The {what} is not in canonical form, so it was altered after signing.")
        value = signature["value"]
        if not isinstance(value, str) or len(value) != 128 or value != value.lower():
            raise BatchRejected(f"The {what} signature is not 128 lowercase hex digits.")
        sig = bytes.fromhex(value)
    except (TypeError, ValueError) as exc:
        raise BatchRejected(f"The {what} has values that cannot be read.") from exc
    if not isinstance(signature["public_key"], str):
        raise BatchRejected(f"The {what} signer key is malformed.")
    parse_public_key(signature["public_key"])
    return body, signature["public_key"], sig


def verify_envelope(body: dict[str, Any], public_key: Ed25519PublicKey, sig: bytes, domain: str, what: str) -> None:
    """Check an Ed25519 signature over an envelope body; raise BatchRejected if it fails."""
    message = domain.encode("ascii") + b"\n" + canonical_json(body)
    try:
        public_key.verify(sig, message)
    except InvalidSignature as exc:
        raise BatchRejected(f"The {what} signature does not match its signer key.") from exc
