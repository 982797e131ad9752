"""Shared fixtures for the forms tests: the standard forms, loaded once."""

from __future__ import annotations

import pytest

from tipintake.forms import load_form


@pytest.fixture(scope="session")
def intake():
    return load_form("tip_intake")
