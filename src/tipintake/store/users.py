"""User accounts: add, list, change passphrase, disable, remove.

A user's row (role, language) lives in the encrypted store; their key slot lives
in the slot file. Adding or resetting a user needs the unlocked database key, so
only an admin's session (or the user's own, for their own passphrase) can do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from tipintake.errors import NotFound, UserError
from tipintake.i18n import _
from tipintake.store import audit, keyslots
from tipintake.store.roles import Permission

if TYPE_CHECKING:
    from tipintake.store.session import Session


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    language: str
    disabled: bool
    must_reset: bool


class UserService:
    """User management for one session."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def list(self) -> list[UserInfo]:
        with self.s.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, username, display_name, role, language, disabled, must_reset "
                     "FROM users WHERE removed = 0 ORDER BY username")
            )
            return [UserInfo(*row) for row in rows]

    def get(self, username: str) -> UserInfo:
        for user in self.list():
            if user.username == username:
                return user
        raise NotFound(_("There is no user '{user}'.").format(user=username))

    def add(self, username: str, passphrase: str, role: str, display_name: str = "",
            language: str = "en") -> UserInfo:
        from tipintake.store.session import check_passphrase, check_role, check_username, now

        self.s.require(Permission.MANAGE_USERS)
        check_username(username)
        check_role(role)
        check_passphrase(passphrase)
        if username in self.s.store.slots.load():
            raise UserError(_("A user '{user}' already exists.").format(user=username))
        slot = keyslots.wrap(username, passphrase, self.s.database_key())
        with self.s.engine.begin() as conn:
            existing = conn.execute(text("SELECT removed FROM users WHERE username = :u"),
                                    {"u": username}).first()
            if existing is not None and not existing.removed:
                raise UserError(_("A user '{user}' already exists.").format(user=username))
            if existing is not None:
                conn.execute(text("UPDATE users SET role = :r, display_name = :d, language = :l, "
                                  "disabled = 0, removed = 0, must_reset = 0 WHERE username = :u"),
                             {"u": username, "r": role, "d": display_name or username, "l": language})
            else:
                conn.execute(
                    text("INSERT INTO users(username, display_name, role, language, disabled, "
                         "removed, must_reset, created_at) VALUES (:u, :d, :r, :l, 0, 0, 0, :t)"),
                    {"u": username, "d": display_name or username, "r": role, "l": language, "t": now()},
                )
            audit.append(conn, self.s.user.username, "user_add", "user", username, {"role": role})
            self.s.store.slots.put(slot)
        return self.get(username)

    def passwd(self, username: str, new_passphrase: str) -> None:
        """Change a passphrase: one's own, or anyone's for an admin (a reset)."""
        from tipintake.store.session import check_passphrase

        if username != self.s.user.username:
            self.s.require(Permission.MANAGE_USERS)
        check_passphrase(new_passphrase)
        self.get(username)
        slot = keyslots.wrap(username, new_passphrase, self.s.database_key())
        with self.s.engine.begin() as conn:
            conn.execute(text("UPDATE users SET must_reset = 0 WHERE username = :u"), {"u": username})
            action = "passwd" if username == self.s.user.username else "passwd_reset"
            audit.append(conn, self.s.user.username, action, "user", username)
            self.s.store.slots.put(slot)

    def set_disabled(self, username: str, disabled: bool) -> None:
        self.s.require(Permission.MANAGE_USERS)
        self._refuse_self(username)
        self.get(username)
        with self.s.engine.begin() as conn:
            conn.execute(text("UPDATE users SET disabled = :d WHERE username = :u"),
                         {"d": disabled, "u": username})
            audit.append(conn, self.s.user.username, "user_disable" if disabled else "user_enable",
                         "user", username)

    def set_role(self, username: str, role: str) -> None:
        from tipintake.store.session import check_role

        self.s.require(Permission.MANAGE_USERS)
        check_role(role)
        self._refuse_self(username)
        self.get(username)
        with self.s.engine.begin() as conn:
            conn.execute(text("UPDATE users SET role = :r WHERE username = :u"), {"r": role, "u": username})
            audit.append(conn, self.s.user.username, "user_role", "user", username, {"role": role})

    def set_language(self, language: str) -> None:
        """The signed-in user's preferred interface language."""
        with self.s.engine.begin() as conn:
            conn.execute(text("UPDATE users SET language = :l WHERE id = :i"),
                         {"l": language, "i": self.s.user.id})

    def remove(self, username: str) -> None:
        """Delete the user's key slot; their past actions stay in the audit trail."""
        self.s.require(Permission.MANAGE_USERS)
        self._refuse_self(username)
        self.get(username)
        with self.s.engine.begin() as conn:
            conn.execute(text("UPDATE users SET removed = 1, disabled = 1 WHERE username = :u"),
                         {"u": username})
            audit.append(conn, self.s.user.username, "user_remove", "user", username)
            self.s.store.slots.remove(username)

    def _refuse_self(self, username: str) -> None:
        if username == self.s.user.username:
            raise UserError(_("You cannot disable, remove or change the role of your own account."))
