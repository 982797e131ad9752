"""The core is headless: only tipintake.ui imports Qt; imports point down the layers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tipintake"
CORE = ("store", "forms", "i18n", "deid", "sync", "reports", "hub")
# Lower layers must not import higher ones (DESIGN.md).
FORBIDDEN = {
    "i18n": ("store", "forms", "deid", "sync", "reports", "hub", "ui", "cli", "capture"),
    "store": ("forms", "deid", "sync", "reports", "hub", "ui", "cli", "capture"),
    "forms": ("store", "deid", "sync", "reports", "hub", "ui", "cli", "capture"),
    "deid": ("reports", "hub", "ui", "cli"),
    "reports": ("deid", "sync", "hub", "ui", "cli"),
    "sync": ("hub", "ui", "cli", "reports"),
    "hub": ("store", "forms.loader", "deid", "reports", "ui", "cli", "capture"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", CORE)
def test_core_package_never_imports_qt(package):
    offenders = [
        str(path.relative_to(SRC))
        for path in (SRC / package).rglob("*.py")
        if any(name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"} for name in imported_modules(path))
    ]
    assert offenders == []


# Build-time tools, not run by the app: the Babel extractor reads form files.
TOOLS = {"i18n/extract.py"}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_down_the_layers(package):
    bad = []
    for path in (SRC / package).rglob("*.py"):
        if str(path.relative_to(SRC)) in TOOLS:
            continue
        for name in imported_modules(path):
            for higher in FORBIDDEN[package]:
                if name == f"tipintake.{higher}" or name.startswith(f"tipintake.{higher}."):
                    bad.append(f"{path.relative_to(SRC)} imports {name}")
    assert bad == []


def test_importing_the_core_and_cli_loads_no_qt():
    code = (
        "import sys, importlib\n"
        f"for p in {CORE!r}: importlib.import_module('tipintake.' + p)\n"
        "import tipintake.cli; tipintake.cli.build_parser()\n"
        "print('PySide6' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
