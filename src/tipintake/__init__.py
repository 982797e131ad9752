"""tipintake: encrypted, offline-first intake of anti-trafficking interviews.

The core packages (store, forms, i18n, deid, sync, reports, hub) never import Qt;
only ``tipintake.ui`` does.
"""

from __future__ import annotations

__version__ = "0.1.0"
