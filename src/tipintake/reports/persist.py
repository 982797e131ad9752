"""A snapshot of report summaries kept inside the encrypted store between sessions.

Summarising 100,000 cases takes seconds; reading back a snapshot saved by an earlier
session takes a fraction of that, so the first dashboard of a session is fast too.
A summary holds only codes, dates and counts (no identity, no free text). The
snapshot carries the fingerprint of the cases table it matches: cases saved since
are summarised again from their revisions (an index range), exactly as within one
session. It is discarded when the summary format, a form, or Python changes.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, text

from tipintake.forms import list_forms, load_form
from tipintake.reports.summary import CaseSummary

SUMMARY_FORMAT = 1
NAME = "summaries"
# Small changes are cheap to redo from revisions at the next start; rewriting the whole
# snapshot is worth it only after many.
REWRITE_AFTER = 500
# marshal, not JSON: one snapshot of 100k summaries shares every repeated code string
# (written once, referenced after), so it loads many times faster. The bytes come only
# from this app's own row inside the authenticated, encrypted store, and marshal builds
# plain tuples and strings: nothing is executed. A snapshot of the wrong shape is dropped.
_MARSHAL_VERSION = 4

Cached = dict[str, tuple[int, CaseSummary]]


@lru_cache(maxsize=1)
def format_key() -> str:
    """Changes whenever a saved snapshot may no longer match what summarise() would give."""
    forms = []
    for form_id in sorted(list_forms()):
        try:
            forms.append((form_id, str(load_form(form_id).version)))
        except Exception:  # noqa: BLE001 - a broken form file only means no plan for it
            forms.append((form_id, "?"))
    # The Python version too: marshal's format may change between versions.
    body = [SUMMARY_FORMAT, list(sys.version_info[:2]), forms]
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()[:16]


def load(conn: Any, today: str) -> tuple[tuple[Any, ...], Cached]:
    """The saved fingerprint and summaries, or ``((), {})`` when there is none usable."""
    row = conn.execute(text("SELECT format, fingerprint, computed_on, data FROM report_cache "
                            "WHERE name = :n"), {"n": NAME}).first()
    if row is None or row.format != format_key():
        return (), {}
    try:
        items = marshal.loads(row.data)
        cached: Cached = {cid: (n, CaseSummary(cid, *fields)) for cid, n, fields in items}
    except (ValueError, TypeError, EOFError):
        return (), {}
    fingerprint = tuple(json.loads(row.fingerprint))
    if row.computed_on != today:
        # A "registration date in the future" finding may have lapsed: summarise those
        # cases again (the totals then differ, so the next refresh reads every case).
        cached = {cid: v for cid, v in cached.items() if v[1].registered <= row.computed_on}
    return fingerprint, cached


def save(engine: Engine, fingerprint: tuple[Any, ...], cached: Cached, today: str) -> None:
    """Replace the snapshot with ``cached`` (valid at ``fingerprint``)."""
    items = [(cid, n, (s.reference, s.form_id, s.forms, s.registered, s.age, s.facts, s.gaps, s.issues))
             for cid, (n, s) in cached.items()]
    data = marshal.dumps(items, _MARSHAL_VERSION)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO report_cache(name, format, fingerprint, computed_on, data) "
                 "VALUES (:n, :f, :p, :d, :b) ON CONFLICT(name) DO UPDATE SET format = excluded.format, "
                 "fingerprint = excluded.fingerprint, computed_on = excluded.computed_on, "
                 "data = excluded.data"),
            {"n": NAME, "f": format_key(), "p": json.dumps(list(fingerprint), default=str),
             "d": today, "b": data},
        )
