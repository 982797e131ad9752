"""Migrations run on unlock, after an encrypted backup; search survives them."""

from __future__ import annotations

import shutil
import textwrap

from alembic.migration import MigrationContext

from tipintake.paths import project_dir
from tipintake.store.migrate import head_revision, migrate

NEXT_MIGRATION = textwrap.dedent(
    '''
    """A batch migration of search_docs, like a real schema change would be."""
    import sqlalchemy as sa
    from alembic import op

    revision = "9999"
    down_revision = "{head}"
    branch_labels = None
    depends_on = None


    def upgrade():
        with op.batch_alter_table("search_docs", recreate="always") as batch:
            batch.add_column(sa.Column("lang", sa.String(8), nullable=True))


    def downgrade():
        pass
    '''
)


def test_a_new_store_is_at_the_newest_schema(session):
    with session.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()


def test_migrate_is_a_no_op_at_head(session):
    assert migrate(session.store.db_path, session.engine) is False


def test_upgrade_backs_up_first_and_search_survives_a_batch_migration(tmp_path, store, session):
    cid, _ = session.cases.save(form_id="f", form_version="1", kind="intake",
                                identity={"name": "ស្រីពៅ CANARYmig"}, context={})
    location = tmp_path / "migrations"
    shutil.copytree(project_dir("migrations"), location)
    (location / "versions" / "9999_next.py").write_text(NEXT_MIGRATION.format(head=head_revision()))

    assert migrate(store.db_path, session.engine, location) is True

    with session.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(search_docs)")}
    assert "lang" in columns
    assert {"search_docs_ai", "search_docs_ad", "search_docs_au"} <= names
    assert session.cases.search("ស្រីពៅ") == [cid]
    new_cid, _ = session.cases.save(form_id="f", form_version="1", kind="intake",
                                    identity={"name": "ចាន់ធីតា"}, context={})
    assert session.cases.search("ចាន់ធីតា") == [new_cid]
    backups = list((store.data_dir / "backups").glob("*.db"))
    assert backups and b"CANARYmig" not in backups[0].read_bytes()
    assert b"SQLite format 3" not in backups[0].read_bytes()[:16]
