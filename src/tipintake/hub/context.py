"""Opening a hub: its folder, database URL, keys and vocabulary, in one place.

The CLI, the tests and the benchmarks all build a :class:`~tipintake.hub.ingest.Hub`
through :func:`open_hub`, so they run exactly what ``tipintake hub serve`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from tipintake.hub.db import Tables, build_tables, create_schema, open_engine
from tipintake.hub.ingest import Hub
from tipintake.hub.keys import HubKeys, unlock_keys
from tipintake.hub.vocabulary import Vocabulary, load_vocabulary

DB_FILE = "hub.sqlite3"


def default_db_url(hub_dir: Path) -> str:
    """The SQLite file inside the hub folder."""
    return f"sqlite:///{(Path(hub_dir) / DB_FILE).resolve()}"


@dataclass(frozen=True)
class Storage:
    """The hub's database without its keys: enough to enrol devices and publish."""

    engine: Engine
    tables: Tables
    vocabulary: Vocabulary


def open_storage(hub_dir: Path, db_url: str | None, vocabulary_path: Path | None = None) -> Storage:
    """The hub database (tables created when missing), without unlocking any key."""
    vocabulary = load_vocabulary(vocabulary_path)
    engine = open_engine(db_url or default_db_url(hub_dir))
    tables = build_tables(vocabulary)
    create_schema(engine, tables)
    return Storage(engine, tables, vocabulary)


def open_hub(
    hub_dir: Path,
    db_url: str | None,
    passphrase: str | None = None,
    *,
    keys: HubKeys | None = None,
    vocabulary_path: Path | None = None,
) -> Hub:
    """A ready hub: keys unlocked (or given), vocabulary loaded, tables created."""
    if keys is None:
        if passphrase is None:
            raise ValueError("open_hub needs a passphrase or unlocked keys")
        keys = unlock_keys(hub_dir, passphrase)
    storage = open_storage(hub_dir, db_url, vocabulary_path)
    return Hub(engine=storage.engine, tables=storage.tables, keys=keys, vocabulary=storage.vocabulary)
