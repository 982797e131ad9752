"""The hub and the batch format run on a plain server: no Qt, no desktop store."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import tipintake.sync.batch, tipintake.sync.receipt
import tipintake.hub.app, tipintake.hub.context, tipintake.hub.usb, tipintake.hub.export
import tipintake.cli.hub_cmds
bad = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken", "tipintake.store", "tipintake.ui", "sqlcipher3")))
print(",".join(bad))
"""


def test_hub_and_batch_modules_import_neither_qt_nor_the_store():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
