"""The SQLCipher engine: SQLAlchemy 2 over sqlcipher3, keyed in a connect hook.

The raw 256-bit key is given with ``PRAGMA key = "x'…'"`` on every new DBAPI
connection (about 1 ms, no KDF), never in the URL, so it cannot leak through
``engine.url``, alembic configuration or logs. A wrong key fails at once on the
first read ("file is not a database"). SQLCipher's own logging is off so a wrong
key writes nothing to stderr.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from tipintake.errors import WrongPassphrase
from tipintake.i18n import _

DB_FILE = "tipintake.db"


class KeyHolder:
    """Holds the database key in a mutable buffer so that locking can wipe it."""

    def __init__(self, key: bytes) -> None:
        self._key = bytearray(key)

    def pragma(self) -> str:
        if not any(self._key):
            raise WrongPassphrase(_("The store is locked: sign in again."))
        return f"PRAGMA key = \"x'{self._key.hex()}'\""

    def raw(self) -> bytes:
        return bytes(self._key)

    def wipe(self) -> None:
        for i in range(len(self._key)):
            self._key[i] = 0


def connect_raw(path: Path, key: KeyHolder | None) -> sqlcipher3.Connection:
    """A keyed, checked and tuned DBAPI connection (``key=None``: plain SQLite, benchmarks only)."""
    if key is None:
        conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.isolation_level = None
        _tune(conn)
        return conn
    conn = sqlcipher3.connect(str(path), check_same_thread=False)
    # SQLAlchemy's recipe for pysqlite: the driver issues no BEGIN of its own; the
    # engine's "begin" hook does, so transactions start where SQLAlchemy says.
    conn.isolation_level = None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key.pragma())
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise WrongPassphrase(_("The user name or passphrase is not right.")) from None
    _tune(conn)
    return conn


def _tune(conn: sqlcipher3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")


def open_engine(path: Path, key: KeyHolder | None) -> Engine:
    """A SQLAlchemy engine on the encrypted file at ``path``."""
    engine = create_engine(
        "sqlite://",
        module=sqlcipher3 if key is not None else sqlite3,
        creator=lambda: connect_raw(path, key),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn):  # pragma: no cover - exercised by every write
        # With the driver's own BEGIN disabled, every SQLAlchemy transaction is a real
        # SQLite transaction (SAVEPOINT and rollback behave as documented).
        conn.exec_driver_sql("BEGIN")

    return engine
