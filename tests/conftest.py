"""Test-wide settings: Qt offscreen, no real user data folder, hypothesis profile."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "tipintake", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("tipintake")


@pytest.fixture(autouse=True)
def _no_real_data_dir(tmp_path, monkeypatch):
    """No test may touch the real per-user data folder."""
    monkeypatch.setenv("TIPINTAKE_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.delenv("TIPINTAKE_USER", raising=False)
    monkeypatch.delenv("TIPINTAKE_PASSPHRASE", raising=False)
