"""Fixtures: a fresh encrypted store per test under tmp_path."""

from __future__ import annotations

import pytest

from tipintake.store.session import Store

ADMIN = "admin"
ADMIN_PASS = "correct horse battery staple"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


@pytest.fixture
def session(store):
    s, _recovery = store.init("Test shelter", ADMIN, ADMIN_PASS)
    yield s
    s.lock()


@pytest.fixture
def store_with_recovery(store):
    s, recovery = store.init("Test shelter", ADMIN, ADMIN_PASS)
    s.lock()
    return store, recovery
