"""The outbox on its own: orphan files after a crash, concurrent builds, sequence numbers."""

from __future__ import annotations

import os

import pyrage
import pytest

from tipintake.store.session import Store
from tipintake.sync.errors import SyncError
from tipintake.sync.outbox import ORPHAN_AGE, Outbox
from tipintake.sync.records import Withdrawal

RECIPIENT = str(pyrage.x25519.Identity.generate().to_public())


def test_files_of_a_build_cut_off_before_its_row_are_cleared_later(session, tmp_path):
    outbox = Outbox(session)
    folder = outbox.folder("p1")
    folder.mkdir(parents=True)
    old = [folder / "0b6c0000-0000-4000-8000-000000000000.age", folder / "x.age.tmp"]
    fresh = folder / "1b6c0000-0000-4000-8000-000000000000.manifest.json"
    for path in (*old, fresh):
        path.write_bytes(b"left over")
    for path in old:
        os.utime(path, (0, os.path.getmtime(path) - ORPHAN_AGE - 10))
    entry = outbox.build("p1", [Withdrawal(case="gone-000001")], [RECIPIENT])
    assert not any(p.exists() for p in old) and fresh.exists()  # another window may be writing it
    assert entry.payload_path.exists() and entry.manifest_path.exists()


def test_two_windows_building_at_once_never_share_a_sequence_number(session, tmp_path, monkeypatch):
    other = Store(tmp_path / "data").unlock("admin", "a long passphrase")
    try:
        first, second = Outbox(session), Outbox(other)
        # Both read the same next sequence number before either has inserted its row.
        monkeypatch.setattr(Outbox, "_next_sequence", lambda self, partner: 1)
        a = first.build("p2", [Withdrawal(case="gone-000001")], [RECIPIENT])
        with pytest.raises(SyncError):
            second.build("p2", [Withdrawal(case="gone-000002")], [RECIPIENT])
        assert [e.batch_id for e in first.entries("p2")] == [a.batch_id]
        assert sorted(p.name for p in first.folder("p2").iterdir()) == sorted(
            [a.payload_path.name, a.manifest_path.name])  # the loser removed its files
    finally:
        other.lock()
