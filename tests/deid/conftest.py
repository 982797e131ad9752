"""Fixtures: a fresh encrypted store per test under tmp_path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # tests.deid.helpers, also when pytest is not run as a module
    sys.path.insert(0, ROOT)

from tests.deid.helpers import ADMIN, PASSPHRASE  # noqa: E402
from tipintake.store.session import Store  # noqa: E402


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


@pytest.fixture
def session(store):
    s, _recovery = store.init("Test shelter", ADMIN, PASSPHRASE)
    yield s
    s.lock()
