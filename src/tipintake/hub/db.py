"""The hub's storage: SQLAlchemy Core tables on SQLite (default) or PostgreSQL.

Tables: enrolled ``devices``; received ``batches`` with the receipt each got (so a
batch sent twice is answered with the same receipt and stored once); ``records``
holding the latest revision of each (organisation, pseudonymous case), its full
values as JSON plus one text column per released element and a key of the released
row, so k-anonymity and aggregates are plain GROUP BY queries; ``withdrawn`` cases,
which later revisions may not bring back. The released columns follow the
vocabulary, so changing which elements are released needs a fresh database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import ArgumentError

from tipintake.errors import NotFound, UserError
from tipintake.hub.vocabulary import Vocabulary
from tipintake.sync import signing
from tipintake.sync.receipt import utc_now_text


@dataclass(frozen=True)
class Tables:
    """The hub's tables, built for one vocabulary."""

    metadata: MetaData
    devices: Table
    batches: Table
    records: Table
    withdrawn: Table

    def released_column(self, name: str) -> Column[Any]:
        """The text column holding a released element."""
        return self.records.c["r_" + name]


def build_tables(vocabulary: Vocabulary) -> Tables:
    """The table definitions for a vocabulary's released elements."""
    metadata = MetaData()
    devices = Table(
        "devices", metadata,
        Column("device_id", String(32), primary_key=True),
        Column("public_key", String(80), nullable=False),
        Column("organisation", String(200), nullable=False),
        Column("enrolled_at", String(20), nullable=False),
        Column("active", Boolean, nullable=False, default=True),
    )
    batches = Table(
        "batches", metadata,
        Column("batch_id", String(36), primary_key=True),
        Column("device_id", String(32), nullable=False),
        Column("sequence", BigInteger, nullable=False),
        Column("manifest_sha256", String(64), nullable=False),
        Column("received_at", String(20), nullable=False),
        Column("receipt", Text, nullable=False),
        UniqueConstraint("device_id", "sequence", name="uq_batches_device_sequence"),
    )
    records = Table(
        "records", metadata,
        Column("organisation", String(200), primary_key=True),
        Column("case_id", String(128), primary_key=True),
        Column("revision", Integer, nullable=False),
        Column("form", String(200), nullable=False),
        Column("form_version", String(100), nullable=False),
        Column("values_json", Text, nullable=False),
        Column("row_key", String(32), nullable=False, index=True),
        Column("batch_id", String(36), nullable=False),
        *[Column("r_" + name, String(300)) for name in vocabulary.released],
    )
    withdrawn = Table(
        "withdrawn", metadata,
        Column("organisation", String(200), primary_key=True),
        Column("case_id", String(128), primary_key=True),
        Column("withdrawn_at", String(20), nullable=False),
    )
    return Tables(metadata, devices, batches, records, withdrawn)


def open_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL; UserError for anything else."""
    try:
        engine = create_engine(url)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise UserError("The database URL is not a SQLite or PostgreSQL URL this hub can use.") from exc
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise UserError("The hub stores data in SQLite or PostgreSQL only.")
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (exports) do not block ingest
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
    return engine


def create_schema(engine: Engine, tables: Tables) -> None:
    """Create missing tables (idempotent)."""
    tables.metadata.create_all(engine)


def enrol_device(engine: Engine, tables: Tables, public_key: str, organisation: str) -> str:
    """Register (or re-activate) a device's public key for an organisation; returns its id."""
    signing.parse_public_key(public_key)
    organisation = organisation.strip()
    if not organisation:
        raise UserError("Give the organisation's name with --org.")
    device_id = signing.key_id(public_key)
    with engine.begin() as conn:
        existing = conn.execute(
            select(tables.devices.c.organisation).where(tables.devices.c.device_id == device_id)
        ).first()
        if existing and existing.organisation != organisation:
            raise UserError(f"That device is already enrolled for another organisation ({existing.organisation}).")
        if existing:
            conn.execute(update(tables.devices).where(tables.devices.c.device_id == device_id).values(active=True))
        else:
            conn.execute(insert(tables.devices).values(
                device_id=device_id, public_key=public_key.strip(), organisation=organisation,
                enrolled_at=utc_now_text(), active=True,
            ))
    return device_id


def revoke_device(engine: Engine, tables: Tables, device_id: str) -> None:
    """Stop accepting batches from a device (its stored records stay)."""
    with engine.begin() as conn:
        result = conn.execute(
            update(tables.devices).where(tables.devices.c.device_id == device_id).values(active=False)
        )
    if result.rowcount == 0:
        raise NotFound(f"No enrolled device has the id {device_id}.")


def find_device(engine: Engine, tables: Tables, device_id: str) -> Any | None:
    """The active device row with that id, or None."""
    with engine.connect() as conn:
        return conn.execute(
            select(tables.devices).where(tables.devices.c.device_id == device_id, tables.devices.c.active)
        ).first()
