"""The bundle's entry point: the same ``tipintake`` command as ``pip install`` gives.

PyInstaller starts a script, not a console-script entry point; this is that script.
"""

from __future__ import annotations

import sys

from tipintake.cli import main

if __name__ == "__main__":
    sys.exit(main())
