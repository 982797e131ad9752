"""alembic environment: runs on the connection the app hands over (no URL, no key)."""

from __future__ import annotations

from alembic import context

from tipintake.store.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names):
    # The FTS5 virtual table and its shadow tables are managed by store/search.py.
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    return True


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("tipintake migrations run from the app, on its keyed connection.")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
