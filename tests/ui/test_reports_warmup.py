"""Report summaries are computed in the background after sign-in and forgotten on lock."""

from __future__ import annotations

from .conftest import wait_ops


def _cached_count() -> int:
    from tipintake.reports.summary import _cache

    return sum(len(held) for _print, held in _cache.values())


def test_warm_up_fills_the_summaries_and_lock_forgets_them(controller, main_window, qtbot):
    from tipintake.reports import clear_cache

    clear_cache()
    main_window.session.cases.save(form_id="tip_intake", form_version="1", kind="intake",
                                   identity={}, context={})
    main_window.warm_reports()
    assert main_window.reports_cancel is not None
    wait_ops(qtbot)
    assert _cached_count() == 1
    controller.lock()
    assert _cached_count() == 0

