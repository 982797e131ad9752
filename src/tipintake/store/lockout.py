"""Growing back-off after wrong passphrases, kept across processes.

The first few mistakes cost nothing beyond the key derivation; after that each
further wrong passphrase doubles the wait, up to five minutes. The file holds
user names and counters only.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

from tipintake.errors import TooManyAttempts
from tipintake.store.atomic import write_atomic

FREE_ATTEMPTS = 3
MAX_DELAY = 300.0
LOCKOUT_FILE = "lockout.json"


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive wrong passphrases."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY, 2.0 ** (failures - FREE_ATTEMPTS + 1))


class Lockout:
    """Per-user failure counters in the data folder."""

    def __init__(self, data_dir: Path, clock=time.time) -> None:
        self.path = Path(data_dir) / LOCKOUT_FILE
        self.clock = clock

    def _load(self) -> dict[str, dict[str, float]]:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def check(self, user: str) -> None:
        """Raise TooManyAttempts while ``user`` must still wait."""
        entry = self._load().get(user)
        if not entry:
            return
        wait = entry["last"] + delay_after(int(entry["failures"])) - self.clock()
        if wait > 0:
            raise TooManyAttempts(math.ceil(wait))

    def failed(self, user: str) -> None:
        """Count one more wrong passphrase for ``user``."""
        data = self._load()
        entry = data.get(user, {"failures": 0, "last": 0.0})
        data[user] = {"failures": int(entry["failures"]) + 1, "last": self.clock()}
        write_atomic(self.path, json.dumps(data).encode())

    def succeeded(self, user: str) -> None:
        """Forget the failures of ``user`` after a right passphrase."""
        data = self._load()
        if data.pop(user, None) is not None:
            write_atomic(self.path, json.dumps(data).encode())
