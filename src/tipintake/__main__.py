"""Allow ``python -m tipintake``."""

from __future__ import annotations

from tipintake.cli import main

raise SystemExit(main())
