"""Possible duplicate cases: the same person entered twice, found inside the encrypted store.

Identity answers are compared in memory only: names folded for search (spelling
variants, Zawgyi, case) with the birth date, or a telephone number. Nothing derived
from them (keys, folded names) is written anywhere or logged; the finding carries
case ids and references only. Reading identity needs READ_IDENTITY, and the check is
audited (how many groups, never who).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from sqlalchemy import text

from tipintake.forms.spec import MISSING_CODES
from tipintake.i18n.digits import to_ascii_digits
from tipintake.i18n.normalize import fold_for_search
from tipintake.reports.plan import plan_for
from tipintake.reports.quality import Finding, message
from tipintake.reports.summary import ReportFilter, summaries
from tipintake.store.roles import Permission
from tipintake.store.session import Session

_SPACE = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")


def _text(value: Any) -> str:
    return value if isinstance(value, str) and value not in MISSING_CODES else ""


def name_key(*parts: Any) -> str:
    """Folded name tokens in sorted order ("Somchai Jaidee" = "JAIDEE somchai")."""
    tokens = _SPACE.split(fold_for_search(" ".join(_text(p) for p in parts)).strip())
    return " ".join(sorted(t for t in tokens if t))


def phone_key(value: Any) -> str:
    """The last nine digits of a number (+66 81… and 081… agree); "" when too short."""
    digits = _NOT_DIGIT.sub("", to_ascii_digits(_text(value)))
    return digits[-9:] if len(digits) >= 8 else ""


def _keys(roles: dict[str, str], ident: dict[str, Any], ctx: dict[str, Any]) -> list[str]:
    keys = []
    name = name_key(*(ident.get(roles[r]) for r in ("given_name", "family_name") if r in roles))
    born = _text(ctx.get(roles.get("birth_date", "")))[:10]
    if name and len(born) == 10:
        keys.append(f"n\x00{name}\x00{born}")
    phone = phone_key(ident.get(roles.get("phone", "")))
    if phone:
        keys.append(f"p\x00{phone}")
    return keys


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def duplicates(session: Session, flt: ReportFilter | None = None) -> list[Finding]:
    """Groups of cases that may be the same person (needs READ_IDENTITY; audited)."""
    session.require(Permission.READ_IDENTITY)
    wanted = {s.case_id: s for s in summaries(session, flt)}
    latest: dict[str, tuple[int, str, str]] = {}
    with session.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT r.case_id, r.number, r.context, i.data FROM revisions r "
            "JOIN cases c ON c.id = r.case_id AND c.form_id = r.form_id "
            "JOIN identities i ON i.revision_id = r.id"))
        for case_id, number, ctx, data in rows:
            if case_id in wanted and (case_id not in latest or latest[case_id][0] < number):
                latest[case_id] = (number, ctx, data)
    owners: dict[str, str] = {}
    parent = {cid: cid for cid in latest}
    for case_id, (_n, ctx, data) in latest.items():
        plan = plan_for(wanted[case_id].form_id)
        if plan is None:
            continue
        for key in _keys(plan.roles, json.loads(data), json.loads(ctx)):
            other = owners.setdefault(key, case_id)
            if other != case_id:
                parent[_find(parent, case_id)] = _find(parent, other)
    owners.clear()  # the keys are derived from identity: drop them as soon as possible
    groups: dict[str, list[str]] = defaultdict(list)
    for case_id in latest:
        groups[_find(parent, case_id)].append(case_id)
    found = [
        Finding("possible_duplicate", message("possible_duplicate", ()), (),
                tuple((c, wanted[c].reference) for c in sorted(members, key=lambda c: wanted[c].reference)))
        for members in groups.values() if len(members) > 1
    ]
    found.sort(key=lambda f: (-len(f.cases), f.cases[0][1]))
    session.audit("duplicate_check", "cases", "", {"groups": len(found)})
    return found
