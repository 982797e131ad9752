"""Opening the store: set-up, unlock, and the signed-in session every service uses.

``Store`` is a locked handle on a data folder (it can list user names and create
or unlock the store). ``Session`` is what unlocking returns: the signed-in user, the
engine, permission checks and the services (cases, drafts, users, audit). One
Argon2id derivation happens per unlock; connections are then keyed with the raw
key. ``Session.lock()`` disposes of every connection and wipes the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, text

from tipintake.errors import NotInitialised, PermissionDenied, UserError, WrongPassphrase
from tipintake.i18n import _
from tipintake.store import audit, keyslots
from tipintake.store.engine import DB_FILE, KeyHolder, open_engine
from tipintake.store.keyslots import RECOVERY_SLOT, SlotFile
from tipintake.store.lockout import Lockout
from tipintake.store.migrate import migrate
from tipintake.store.roles import ROLES, Permission, allows

MIN_PASSPHRASE = 10


def now() -> datetime:
    """The current UTC time without tzinfo (SQLite stores naive datetimes)."""
    return datetime.now(UTC).replace(tzinfo=None)


def check_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to survive a lost laptop."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(
            _("The passphrase is too short: use at least {count} characters, "
              "for example four unrelated words.").format(count=MIN_PASSPHRASE)
        )


@dataclass(frozen=True)
class SignedIn:
    """The user of a session."""

    id: int
    username: str
    role: str
    language: str
    display_name: str


class Store:
    """A data folder, locked."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_FILE
        self.slots = SlotFile(self.data_dir)
        self.lockout = Lockout(self.data_dir)

    def exists(self) -> bool:
        return self.slots.exists() and self.db_path.exists()

    def user_names(self) -> list[str]:
        """Users who can unlock (for the unlock screen)."""
        if not self.exists():
            raise NotInitialised(
                _("No store in {folder}: run `tipintake init` first.").format(folder=self.data_dir))
        return self.slots.user_names()

    def init(
        self, organisation: str, admin: str, passphrase: str, language: str = "en"
    ) -> tuple[Session, str]:
        """Create the store; returns the admin's session and the recovery key (show it once)."""
        if self.exists() or self.db_path.exists():
            raise UserError(_("A store already exists in {folder}.").format(folder=self.data_dir))
        check_passphrase(passphrase)
        check_username(admin)
        keyslots.ensure_private_dir(self.data_dir)
        key = keyslots.new_database_key()
        recovery = keyslots.new_recovery_key()
        engine = open_engine(self.db_path, KeyHolder(key))
        migrate(self.db_path, engine)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO users(username, display_name, role, language, disabled, removed, "
                     "must_reset, created_at) VALUES (:u, :u, 'admin', :l, 0, 0, 0, :t)"),
                {"u": admin, "l": language, "t": now()},
            )
            for k, v in (("organisation", organisation), ("created_at", now().isoformat())):
                conn.execute(text("INSERT INTO settings(key, value) VALUES (:k, :v)"),
                             {"k": k, "v": json.dumps(v)})
            audit.append(conn, admin, "init", "store", "", {"organisation": organisation})
        engine.dispose()
        self.slots.save({
            admin: keyslots.wrap(admin, passphrase, key),
            RECOVERY_SLOT: keyslots.wrap(RECOVERY_SLOT, keyslots.normalise_recovery_key(recovery), key),
        })
        return self._open(key, admin, "init"), recovery

    def unlock(self, username: str, passphrase: str) -> Session:
        """Sign in; WrongPassphrase (after a growing back-off) when it does not fit."""
        slots = self._slots()
        self.lockout.check(username)
        slot = slots.get(username) if username != RECOVERY_SLOT else None
        try:
            if slot is None:
                # Same cost and message as a wrong passphrase: user names are not probed.
                keyslots.KdfParams().derive(passphrase)
                raise WrongPassphrase(_("The user name or passphrase is not right."))
            key = keyslots.unwrap(slot, passphrase)
        except WrongPassphrase:
            self.lockout.failed(username)
            raise
        self.lockout.succeeded(username)
        return self._open(key, username, "unlock")

    def unlock_with_recovery(self, recovery_key: str, as_user: str) -> Session:
        """Open with the recovery key, acting as ``as_user`` (to reset a password)."""
        slots = self._slots()
        self.lockout.check(RECOVERY_SLOT)
        try:
            key = keyslots.unwrap(slots[RECOVERY_SLOT], keyslots.normalise_recovery_key(recovery_key))
        except WrongPassphrase:
            self.lockout.failed(RECOVERY_SLOT)
            raise WrongPassphrase(_("The recovery key is not right.")) from None
        self.lockout.succeeded(RECOVERY_SLOT)
        return self._open(key, as_user, "unlock_recovery", allow_missing_slot=True)

    def _slots(self) -> dict[str, keyslots.Slot]:
        if not self.exists():
            raise NotInitialised(
                _("No store in {folder}: run `tipintake init` first.").format(folder=self.data_dir))
        return self.slots.load()

    def _open(self, key: bytes, username: str, action: str, allow_missing_slot: bool = False) -> Session:
        holder = KeyHolder(key)
        engine = open_engine(self.db_path, holder)
        try:
            migrate(self.db_path, engine)
            with engine.begin() as conn:
                row = conn.execute(
                    text("SELECT id, username, role, language, display_name, disabled, removed "
                         "FROM users WHERE username = :u"), {"u": username}
                ).first()
                if row is None or row.removed:
                    raise WrongPassphrase(_("The user name or passphrase is not right."))
                if row.disabled:
                    raise UserError(_("This account is disabled: ask an administrator."))
                audit.append(conn, username, action, "user", str(row.id))
        except BaseException:
            engine.dispose()
            holder.wipe()
            raise
        user = SignedIn(row.id, row.username, row.role, row.language, row.display_name)
        return Session(self, engine, holder, user)


def check_username(name: str) -> None:
    """User names are short, printable and not the reserved recovery name."""
    if not name or len(name) > 64 or name == RECOVERY_SLOT or not name.isprintable() or name.strip() != name:
        raise UserError(
            _("A user name has 1 to 64 visible characters, no spaces at either end, "
              "and cannot be '{reserved}'.").format(reserved=RECOVERY_SLOT)
        )


def check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(_("Unknown role '{role}': choose one of {choices}.").format(
            role=role, choices=", ".join(ROLES)))


class Session:
    """An unlocked store, signed in as one user."""

    def __init__(self, store: Store, engine: Engine, key: KeyHolder, user: SignedIn) -> None:
        self.store = store
        self.engine = engine
        self._key = key
        self.user = user
        from tipintake.store.cases import CaseService, DraftService
        from tipintake.store.users import UserService

        self.cases = CaseService(self)
        self.drafts = DraftService(self)
        self.users = UserService(self)

    # -- permissions and audit -------------------------------------------------
    def can(self, permission: Permission) -> bool:
        return allows(self.user.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                _("Your role ({role}) does not allow this ({permission}).").format(
                    role=self.user.role, permission=permission.value)
            )

    def audit(self, action: str, object_type: str = "", object_id: str = "",
              detail: dict[str, Any] | None = None) -> None:
        """Record an action in its own transaction (reads such as views and exports)."""
        with self.engine.begin() as conn:
            audit.append(conn, self.user.username, action, object_type, object_id, detail)

    def verify_audit(self) -> list[audit.Problem]:
        with self.engine.connect() as conn:
            return audit.verify(conn)

    # -- settings --------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).scalar()
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO settings(key, value) VALUES (:k, :v) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                {"k": key, "v": json.dumps(value)},
            )

    # -- keys ------------------------------------------------------------------
    def database_key(self) -> bytes:
        """The raw key, for writing a slot (only services in store/ call this)."""
        return self._key.raw()

    def rekey(self, passphrase: str) -> str:
        """Replace the database key; returns the new recovery key.

        Only the acting admin's slot and a new recovery slot can be written (other
        passphrases are unknown), so other users must be given a new passphrase by
        an admin before they can sign in again.
        """
        self.require(Permission.MANAGE_USERS)
        slots = self.store.slots.load()
        keyslots.unwrap(slots[self.user.username], passphrase)
        new_key = keyslots.new_database_key()
        recovery = keyslots.new_recovery_key()
        self.engine.dispose()
        from tipintake.store.engine import connect_raw

        conn = connect_raw(self.store.db_path, self._key)
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlcipher3.OperationalError:
            conn.close()
            self.engine = open_engine(self.store.db_path, self._key)
            raise UserError(
                _("The store is open in another window or program: close it and try again.")) from None
        conn.close()
        self._key.wipe()
        self._key = KeyHolder(new_key)
        self.engine = open_engine(self.store.db_path, self._key)
        others = [n for n in slots if n not in (self.user.username, RECOVERY_SLOT)]
        self.store.slots.save({
            self.user.username: keyslots.wrap(self.user.username, passphrase, new_key),
            RECOVERY_SLOT: keyslots.wrap(RECOVERY_SLOT, keyslots.normalise_recovery_key(recovery), new_key),
        })
        with self.engine.begin() as conn2:
            for name in others:
                conn2.execute(text("UPDATE users SET must_reset = 1 WHERE username = :u"), {"u": name})
            audit.append(conn2, self.user.username, "rekey", "store", "", {"users_to_reset": len(others)})
        return recovery

    def lock(self) -> None:
        """Close every connection and wipe the key from memory."""
        self.engine.dispose()
        self._key.wipe()

    close = lock
