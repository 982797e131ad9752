"""``audit verify`` finds any altered, removed or reordered entry."""

from __future__ import annotations

import pytest


@pytest.fixture
def trail(session):
    for i in range(5):
        session.audit("view", "case", f"c{i}")
    assert session.verify_audit() == []
    return session


def sql(session, statement, *params):
    with session.engine.begin() as conn:
        conn.exec_driver_sql(statement, params)


def test_intact_trail_passes(trail):
    assert trail.verify_audit() == []


def test_altered_entry_is_found(trail):
    sql(trail, "UPDATE audit SET actor = 'someone' WHERE seq = 3")
    assert [p.seq for p in trail.verify_audit()] == [3]


def test_removed_entry_is_found(trail):
    sql(trail, "DELETE FROM audit WHERE seq = 2")
    assert trail.verify_audit()


def test_removed_newest_entry_is_found(trail):
    newest = trail.engine.connect().exec_driver_sql("SELECT max(seq) FROM audit").scalar()
    sql(trail, "DELETE FROM audit WHERE seq = ?", newest)
    assert trail.verify_audit()


def test_swapped_entries_are_found(trail):
    rows = trail.engine.connect().exec_driver_sql(
        "SELECT seq, at, actor, action, object_type, object_id, detail, prev_hash, hash FROM audit "
        "WHERE seq IN (2, 3) ORDER BY seq").all()
    sql(trail, "DELETE FROM audit WHERE seq IN (2, 3)")
    # Each entry's content moves to the other's place in the sequence.
    for (seq, *_rest), other in zip(rows, reversed(rows), strict=True):
        sql(trail, "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", seq, *other[1:])
    assert trail.verify_audit()
