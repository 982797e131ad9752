"""Key slots: the random database key, wrapped once per user and once for recovery.

The database key (256 random bits) never touches the disk in the clear. Each slot
wraps it with AES-256-GCM under a key derived from a password by Argon2id; the
Argon2id parameters are stored in the slot so they can be raised later without
breaking older slots. The slot file is readable before unlock (the unlock screen
lists user names from it) and holds no case data.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tipintake.errors import UserError, WrongPassphrase
from tipintake.i18n import _
from tipintake.store.atomic import write_atomic

SLOT_FILE = "keyslots.json"
RECOVERY_SLOT = "recovery"
KEY_BYTES = 32
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, kept with each slot."""

    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB: 64 MiB
    parallelism: int = 2
    salt: str = field(default_factory=lambda: _b64(secrets.token_bytes(16)))

    def derive(self, secret: str) -> bytes:
        """The 256-bit wrapping key for ``secret`` (one Argon2id run)."""
        return hash_secret_raw(
            secret.encode("utf-8"),
            base64.b64decode(self.salt),
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


@dataclass(frozen=True)
class Slot:
    """One wrapped copy of the database key."""

    name: str  # a user name, or "recovery"
    kdf: KdfParams
    nonce: str
    wrapped: str

    def aad(self) -> bytes:
        # Binding the slot name and KDF parameters stops a slot from being moved to
        # another user or weakened by editing its parameters.
        return json.dumps([self.name, asdict(self.kdf)], sort_keys=True).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def new_database_key() -> bytes:
    """A fresh random 256-bit database key."""
    return secrets.token_bytes(KEY_BYTES)


def wrap(name: str, secret: str, db_key: bytes, kdf: KdfParams | None = None) -> Slot:
    """A slot named ``name`` that opens with ``secret``."""
    kdf = kdf or KdfParams()
    nonce = secrets.token_bytes(12)
    draft = Slot(name=name, kdf=kdf, nonce=_b64(nonce), wrapped="")
    wrapped = AESGCM(kdf.derive(secret)).encrypt(nonce, db_key, draft.aad())
    return Slot(name=name, kdf=kdf, nonce=draft.nonce, wrapped=_b64(wrapped))


def unwrap(slot: Slot, secret: str) -> bytes:
    """The database key from ``slot``; WrongPassphrase when ``secret`` does not open it."""
    try:
        return AESGCM(slot.kdf.derive(secret)).decrypt(
            base64.b64decode(slot.nonce), base64.b64decode(slot.wrapped), slot.aad()
        )
    except InvalidTag:
        raise WrongPassphrase(_("The user name or passphrase is not right.")) from None


def new_recovery_key() -> str:
    """A recovery key a person can copy by hand: 160 random bits in groups of four."""
    raw = secrets.token_bytes(20)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_recovery_key(text: str) -> str:
    """Accept a recovery key typed with spaces, dashes, lower case or look-alike digits."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))
    if len(cleaned) != 32 or any(ch not in _B32 for ch in cleaned):
        raise UserError(
            _("That is not a recovery key: it has 32 letters and digits in groups of four.")
        )
    return "-".join(cleaned[i : i + 4] for i in range(0, 32, 4))


class SlotFile:
    """The key-slot file of one installation."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / SLOT_FILE

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> dict[str, Slot]:
        """All slots by name."""
        try:
            raw = json.loads(self.path.read_text("utf-8"))
            return {
                item["name"]: Slot(
                    name=item["name"],
                    kdf=KdfParams(**item["kdf"]),
                    nonce=item["nonce"],
                    wrapped=item["wrapped"],
                )
                for item in raw["slots"]
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UserError(
                _("The key file {path} is missing or damaged: restore it from a backup.").format(
                    path=self.path)
            ) from exc

    def save(self, slots: dict[str, Slot]) -> None:
        """Write every slot atomically."""
        body = {"version": 1, "slots": [asdict(s) for s in sorted(slots.values(), key=lambda s: s.name)]}
        write_atomic(self.path, json.dumps(body, indent=1).encode("utf-8"))

    def put(self, slot: Slot) -> None:
        slots = self.load() if self.exists() else {}
        slots[slot.name] = slot
        self.save(slots)

    def remove(self, name: str) -> None:
        slots = self.load()
        slots.pop(name, None)
        self.save(slots)

    def user_names(self) -> list[str]:
        """Names of the users who have a slot (the recovery slot excluded)."""
        return sorted(n for n in self.load() if n != RECOVERY_SLOT)


def ensure_private_dir(path: Path) -> None:
    """Create the data folder readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # e.g. a FAT-formatted folder has no permissions
        os.chmod(path, 0o700)
