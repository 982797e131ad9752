"""Helpers for the de-identification tests: the sample form loader, consenting adults, plans."""

from __future__ import annotations

import random
from typing import Any

from tests.deid.sample import agreement, sample_form, synthetic_case
from tipintake.deid.agreements import mark_shown
from tipintake.deid.share import prepare_share

ADMIN = "admin"
PASSPHRASE = "correct horse battery staple"
SPEC = sample_form()


def loader(form_id: str):
    """Forms for prepare_share: the sample form only."""
    return SPEC if form_id == SPEC.id else None


def adult(rng: random.Random | None = None, **overrides: Any) -> tuple[dict, dict]:
    """An adult who consented to sharing (registered 2025-03-10, 25 years old)."""
    ctx, ident = synthetic_case(rng or random.Random(7), consent=True)
    ctx.update({"birth_date": "2000-01-15", "age": 25, "registration_date": "2025-03-10",
                "gender": "Feminine", "citizenship": "KH", "country_of_exploitation": "TH",
                "consent_withdrawn": "no"})
    for key, value in overrides.items():
        (ident if key in ident or key in SPEC.identity_fields() else ctx)[key] = value
    return ctx, ident


def save(session, ctx: dict, ident: dict, case_id: str | None = None) -> str:
    """Save one revision of the sample form; returns the case id."""
    cid, _n = session.cases.save(form_id=SPEC.id, form_version=SPEC.version, kind="intake",
                                 identity=ident, context=ctx, case_id=case_id)
    return cid


def save_many(session, n: int, seed: int = 1, **overrides: Any) -> list[str]:
    """``n`` consenting adults alike on the quasi-identifiers (so k is easy to meet)."""
    rng = random.Random(seed)
    return [save(session, *adult(rng, **overrides)) for _ in range(n)]


def plan_for(session, ag=None, **kw: Any):
    """prepare_share with the sample form, the agreement shown first."""
    ag = ag or agreement()
    mark_shown(session, ag)
    return prepare_share(session, ag, form_loader=loader, **kw)


__all__ = ["ADMIN", "PASSPHRASE", "SPEC", "adult", "agreement", "loader", "plan_for", "save", "save_many"]
