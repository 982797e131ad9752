"""The store is unreadable without the key and leaves no plaintext on disk."""

from __future__ import annotations

import sqlite3

import pytest

from tipintake.errors import WrongPassphrase

CANARY = "CANARY-7f3a-สมชาย-ស្រីពៅ-မောင်မောင်"


def files_containing(folder, needle: str) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for form in {needle, *needle.split("-")}:
                if len(form) >= 4 and form.encode("utf-8") in data:
                    hits.append(f"{path.name}: {form}")
    return hits


def test_canary_in_case_and_draft_appears_in_no_file(store, session):
    session.cases.save(form_id="f", form_version="1", kind="intake",
                       identity={"name": CANARY}, context={"note": CANARY})
    session.drafts.save(form_id="f", form_version="1", answers={"name": CANARY})
    assert session.cases.search("ស្រីពៅ")  # it is really stored and indexed
    # With the store still open (WAL and -shm present) and after closing.
    assert files_containing(store.data_dir, CANARY) == []
    session.lock()
    assert files_containing(store.data_dir, CANARY) == []


def test_plain_sqlite_cannot_read_the_database(store, session):
    session.cases.save(form_id="f", form_version="1", kind="intake", identity={}, context={"a": "b"})
    session.lock()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(store.db_path).execute("SELECT * FROM sqlite_master").fetchall()


def test_wrong_passphrase_is_refused_and_touches_nothing(store, session):
    session.lock()
    before = {p.name: p.read_bytes() for p in store.data_dir.iterdir() if p.name.startswith("tipintake.db") or p.name == "keyslots.json"}
    with pytest.raises(WrongPassphrase):
        store.unlock("admin", "not the passphrase")
    after = {p.name: p.read_bytes() for p in store.data_dir.iterdir() if p.name.startswith("tipintake.db") or p.name == "keyslots.json"}
    assert before == after


def test_unknown_user_gets_the_same_answer_as_a_wrong_passphrase(store, session):
    session.lock()
    with pytest.raises(WrongPassphrase) as unknown:
        store.unlock("nobody", "whatever passphrase")
    with pytest.raises(WrongPassphrase) as wrong:
        store.unlock("admin", "whatever passphrase")
    assert str(unknown.value) == str(wrong.value)


def test_engine_url_and_errors_hold_no_key(store, session):
    key_hex = session.database_key().hex()
    assert key_hex not in str(session.engine.url)
    assert key_hex not in repr(session.engine)
