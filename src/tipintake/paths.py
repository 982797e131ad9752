"""Where an installation keeps its files, and where the shipped resources are.

The project's top-level ``forms/``, ``locales/`` and ``migrations/`` folders are the
source of truth. Running from a checkout finds them beside ``src/``; a PyInstaller
bundle carries them next to the executable (``sys._MEIPASS``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent


def default_data_dir() -> Path:
    """The platform's per-user data folder for tipintake (overridable by TIPINTAKE_DATA_DIR)."""
    env = os.environ.get("TIPINTAKE_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("tipintake", appauthor=False))


def project_dir(name: str) -> Path:
    """A top-level resource folder (``forms``, ``locales``, ``migrations``)."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / name)
    candidates.append(_PACKAGE.parents[1] / name)  # src/tipintake -> checkout root
    candidates.append(_PACKAGE / "_data" / name)
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[0]


def package_path(*parts: str) -> Path:
    """A file shipped inside the Python package itself (fonts, vocabularies)."""
    return _PACKAGE.joinpath(*parts)
