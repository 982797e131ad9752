"""Schema migrations, run by the app on unlock over its keyed connection.

An encrypted copy of the store is written to ``backups/`` before any upgrade, so a
failed migration can be undone by restoring that file. The check itself (current
revision versus head) is cheap, so every unlock runs it.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from tipintake.paths import project_dir
from tipintake.store.search import ensure_search_objects

BACKUP_DIR = "backups"
KEEP_BACKUPS = 3


def _config(location: Path | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(location or project_dir("migrations")))
    return cfg


@lru_cache(maxsize=4)
def head_revision(location: Path | None = None) -> str:
    """The newest migration shipped with this version of the app."""
    return ScriptDirectory.from_config(_config(location)).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the open store (None for an empty file)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup(db_path: Path, engine: Engine) -> Path:
    """Copy the encrypted file (WAL checkpointed first) into the backups folder."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = db_path.parent / BACKUP_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{db_path.stem}-{stamp}.db"
    shutil.copy2(db_path, target)
    for old in sorted(folder.glob(f"{db_path.stem}-*.db"))[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def migrate(db_path: Path, engine: Engine, location: Path | None = None) -> bool:
    """Bring the store to the newest schema; returns True when an upgrade ran."""
    current = current_revision(engine)
    if current == head_revision(location):
        return False
    if current is not None and db_path.exists():
        backup(db_path, engine)
    cfg = _config(location)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        ensure_search_objects(conn)
    return True
