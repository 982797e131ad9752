"""This installation's signing identity: an Ed25519 key pair kept inside the encrypted store.

Every batch manifest is signed with the device key, and a partner hub enrols the
public half (``tipintake hub enrol``). The private key is a 32-byte seed stored as
the setting ``sync.device_key`` in the SQLCipher database, so it is as safe as the
cases themselves and never touches the disk in plain text. It is made on first
need (the first ``share`` command or batch), not at ``init``: ``Store.init`` has no
hook for other layers and the store is not this module's to change. The device id
is the key id (``signing.key_id``), the same id the hub shows when it enrols it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from tipintake.store.atomic import write_atomic
from tipintake.store.session import Session
from tipintake.sync import signing

DEVICE_KEY_SETTING = "sync.device_key"


@dataclass(frozen=True)
class DeviceIdentity:
    """The public side of the device key, for showing and enrolment."""

    device_id: str
    public_key: str  # ``ed25519:<64 hex>``, the text ``tipintake hub enrol`` takes

    @property
    def fingerprint(self) -> str:
        """The device id in groups of four, for reading aloud over the phone to the partner."""
        return " ".join(self.device_id[i : i + 4] for i in range(0, len(self.device_id), 4))


def device_key(session: Session) -> Ed25519PrivateKey:
    """The device's private key, created (and audited) the first time it is needed."""
    stored = session.setting(DEVICE_KEY_SETTING)
    if stored is None:
        candidate = signing.generate_key()
        seed = signing.private_key_bytes(candidate).hex()
        # INSERT OR IGNORE, then read back: two windows creating at once agree on one key.
        with session.engine.begin() as conn:
            created = conn.execute(
                text("INSERT INTO settings(key, value) VALUES (:k, :v) ON CONFLICT(key) DO NOTHING"),
                {"k": DEVICE_KEY_SETTING, "v": json.dumps(seed)},
            ).rowcount
        stored = session.setting(DEVICE_KEY_SETTING)
        if created:
            session.audit("device_key_created", "device", signing.key_id(candidate))
    return signing.private_key_from_bytes(bytes.fromhex(stored))


def device_identity(session: Session) -> DeviceIdentity:
    """The device id and public key (creating the key pair on first use)."""
    key = device_key(session)
    return DeviceIdentity(device_id=signing.key_id(key), public_key=signing.public_key_text(key))


def export_public_key(session: Session, path: Path) -> DeviceIdentity:
    """Write the public key, one line, to ``path`` for the partner to enrol; audited."""
    identity = device_identity(session)
    write_atomic(Path(path), (identity.public_key + "\n").encode("ascii"), mode=0o644)
    session.audit("device_key_exported", "device", identity.device_id)
    return identity
