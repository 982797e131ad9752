"""A SIGKILL in the middle of saving loses nothing committed and leaks nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from tipintake.store.session import Store

from .conftest import ADMIN, ADMIN_PASS
from .test_encryption import files_containing

CANARY = "CANARY-kill-9-ขวัญใจ"

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tipintake.store.session import Store
    s = Store(Path(sys.argv[1])).unlock(sys.argv[2], sys.argv[3])
    cid = None
    n = 0
    while True:
        big = {f"q{i}": sys.argv[4] + str(i) for i in range(150)}
        cid, n = s.cases.save(form_id="f", form_version="1", kind="intake", identity=big,
                              context={"n": n}, case_id=cid)
        s.drafts.save(form_id="f", form_version="1", answers=big, draft_id="d1")
        print(cid, n, flush=True)
    """
)


def test_sigkill_during_saves_keeps_every_committed_revision(store, session):
    session.lock()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store.data_dir), ADMIN, ADMIN_PASS, CANARY],
        stdout=subprocess.PIPE, text=True,
    )
    committed: list[tuple[str, int]] = []
    deadline = time.monotonic() + 60
    while len(committed) < 25 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        cid, n = line.split()
        committed.append((cid, int(n)))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(committed) >= 25, "the child did not save"

    assert files_containing(store.data_dir, CANARY) == []
    reopened = Store(store.data_dir).unlock(ADMIN, ADMIN_PASS)
    cid = committed[-1][0]
    numbers = [r.number for r in reopened.cases.show(cid).revisions]
    assert set(range(1, committed[-1][1] + 1)) <= set(numbers)
    assert reopened.verify_audit() == []
    reopened.lock()
    assert files_containing(store.data_dir, CANARY) == []
