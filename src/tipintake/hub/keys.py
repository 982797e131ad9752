"""The hub's secret keys: an age identity (to decrypt batches) and an Ed25519 receipt key.

Both live in one file, ``hub-keys.json`` in the hub folder, encrypted with AES-256-GCM
under a key derived from the operator's passphrase with Argon2id. The header (format,
KDF parameters, salt) is the AEAD's associated data, so it cannot be altered to weaken
the derivation. The public halves are written beside it in plain text for partner
agreements: ``recipient.txt`` (age) and ``receipt-key.pub`` (Ed25519).
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tipintake.errors import UserError, WrongPassphrase
from tipintake.sync import signing

KEYS_FILE = "hub-keys.json"
RECIPIENT_FILE = "recipient.txt"
RECEIPT_PUBLIC_FILE = "receipt-key.pub"
# OWASP's second Argon2id profile; ~0.1-0.3 s here, paid once per hub start.
KDF_DEFAULTS = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 2}


@dataclass(frozen=True)
class HubKeys:
    """The unlocked hub keys."""

    identity: Any  # pyrage.x25519.Identity
    receipt_key: Ed25519PrivateKey

    @property
    def recipient(self) -> str:
        """The age recipient partners encrypt to."""
        return str(self.identity.to_public())

    @property
    def receipt_public(self) -> str:
        """The receipt key's public text, ``ed25519:<hex>``."""
        return signing.public_key_text(self.receipt_key)

    @property
    def key_id(self) -> str:
        """The receipt key's id, as receipts name it."""
        return signing.key_id(self.receipt_key)


def _derive(passphrase: str, kdf: dict[str, Any]) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        bytes.fromhex(kdf["salt"]),
        time_cost=kdf["time_cost"],
        memory_cost=kdf["memory_cost"],
        parallelism=kdf["parallelism"],
        hash_len=32,
        type=Type.ID,
    )


def _header_aad(header: dict[str, Any]) -> bytes:
    return signing.canonical_json({"format": header["format"], "version": header["version"], "kdf": header["kdf"]})


def init_keys(hub_dir: Path, passphrase: str) -> HubKeys:
    """Create new hub keys in ``hub_dir``; refuses to overwrite existing ones."""
    if len(passphrase) < 12:
        raise UserError("The hub passphrase must be at least 12 characters long.")
    hub_dir = Path(hub_dir)
    hub_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = hub_dir / KEYS_FILE
    if path.exists():
        raise UserError(f"The hub folder {hub_dir} already has keys; refusing to replace them.")
    keys = HubKeys(identity=pyrage.x25519.Identity.generate(), receipt_key=signing.generate_key())
    kdf = dict(KDF_DEFAULTS, salt=secrets.token_hex(16))
    header = {"format": "tipintake-hub-keys", "version": 1, "kdf": kdf}
    secret = json.dumps(
        {"age_identity": str(keys.identity), "receipt_key": signing.private_key_bytes(keys.receipt_key).hex()}
    ).encode("utf-8")
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_derive(passphrase, kdf)).encrypt(nonce, secret, _header_aad(header))
    document = dict(header, nonce=nonce.hex(), ciphertext=sealed.hex())
    _write_private(path, json.dumps(document, indent=2).encode("utf-8"))
    (hub_dir / RECIPIENT_FILE).write_text(keys.recipient + "\n", encoding="ascii")
    (hub_dir / RECEIPT_PUBLIC_FILE).write_text(keys.receipt_public + "\n", encoding="ascii")
    return keys


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def unlock_keys(hub_dir: Path, passphrase: str) -> HubKeys:
    """Open the hub keys with the passphrase; WrongPassphrase if it does not fit."""
    path = Path(hub_dir) / KEYS_FILE
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise UserError(f"No hub keys in {hub_dir}; run 'tipintake hub init' first.") from exc
    except (OSError, ValueError) as exc:
        raise UserError(f"The hub key file {path} cannot be read.") from exc
    try:
        if document.get("format") != "tipintake-hub-keys" or document.get("version") != 1:
            raise UserError(f"The hub key file {path} is not a version 1 tipintake key file.")
        key = _derive(passphrase, document["kdf"])
        plain = AESGCM(key).decrypt(
            bytes.fromhex(document["nonce"]), bytes.fromhex(document["ciphertext"]), _header_aad(document)
        )
    except InvalidTag as exc:
        raise WrongPassphrase("The passphrase does not open the hub keys.") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"The hub key file {path} is damaged.") from exc
    secret = json.loads(plain)
    return HubKeys(
        identity=pyrage.x25519.Identity.from_str(secret["age_identity"]),
        receipt_key=signing.private_key_from_bytes(bytes.fromhex(secret["receipt_key"])),
    )
