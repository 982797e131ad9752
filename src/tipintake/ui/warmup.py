"""Warm-up while the unlock screen waits for a passphrase: imports and locale data.

The forms layer (pydantic models), the main window's modules and Babel's locale data
take about a second to load on a slow laptop. Nobody types a passphrase that fast,
so a background thread loads them while the unlock screen is showing; after
unlocking, the case list appears without that wait. Only code and public locale
data are loaded here: nothing from the store, which is still locked.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading

from tipintake.i18n import current_language

_MODULES = (
    "tipintake.store.session",
    "tipintake.forms",
    "tipintake.forms.engine",
    "tipintake.capture",
    "tipintake.ui.main_window",
    "tipintake.ui.cases_view",
    "tipintake.ui.case_view",
    "tipintake.ui.form_view",
)

_done = threading.Event()
_started = False


def _work(language: str) -> None:
    try:
        for name in _MODULES:
            importlib.import_module(name)
        from tipintake.i18n.calendars import format_date
        from tipintake.ui import forms_catalog

        format_date(dt.date.today(), language, "medium")
        for form_id in forms_catalog.available_forms():
            forms_catalog.title(form_id, language)
    except Exception:  # noqa: BLE001, S110 - a warm-up may fail; the real call will report it
        pass
    finally:
        _done.set()


def start() -> None:
    """Begin warming up in a daemon thread (once per process)."""
    global _started
    if _started:
        return
    _started = True
    threading.Thread(target=_work, args=(current_language(),), name="warm-up", daemon=True).start()


def wait(timeout: float | None = None) -> bool:
    """Block until the warm-up has finished (benchmarks and tests)."""
    return _done.wait(timeout)
