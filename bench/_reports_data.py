"""Synthetic intake answers for the reports benchmark (about no real person).

Uses ``tipintake.forms.synthetic.synthetic_answers`` when the forms layer provides it;
until then, a small generator that draws each field's answer from the form's own
choices, dates and missing codes, so the benchmark exercises realistic answer shapes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from tipintake.forms import FieldType, FormSpec

_NAMES = ["สมชาย", "សុខ", "မောင်ကျော်", "Siti", "Nguyen", "Aung", "Dara", "Malee", "Ahmad", "Nurul"]
_MISSING = ("unknown", "refused", "not_asked")


def _fallback(spec: FormSpec, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    reg = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 1400))
    for f in spec.fields():
        if f.type in (FieldType.NOTE, FieldType.CALCULATE, FieldType.REPEAT) or rng.random() < 0.05:
            continue
        if f.allow_missing and rng.random() < 0.08:
            out[f.name] = rng.choice(_MISSING)
            continue
        codes = [c.value for c in f.choices or ()]
        if f.role == "registration_date":
            out[f.name] = reg.isoformat()
        elif f.type is FieldType.DATE:
            out[f.name] = (reg - timedelta(days=rng.randrange(30, 20000))).isoformat()
        elif f.type in (FieldType.INTEGER, FieldType.DECIMAL):
            out[f.name] = rng.randrange(5, 60)
        elif f.type is FieldType.SELECT_MULTIPLE and codes:
            out[f.name] = rng.sample(codes[:12], rng.randint(1, 3))
        elif codes:
            out[f.name] = rng.choice(codes[:40])
        elif f.type is FieldType.TEXT:
            out[f.name] = f"{rng.choice(_NAMES)} {rng.randrange(1000)}"
    if "phone" in spec.roles():
        out[spec.roles()["phone"]] = f"+66{rng.randrange(10**8, 10**9)}"
    return out


def answers(spec: FormSpec, rng: random.Random) -> dict[str, Any]:
    """One synthetic answer set for ``spec``."""
    try:
        from tipintake.forms.synthetic import synthetic_answers
    except ImportError:
        return _fallback(spec, rng)
    return synthetic_answers(spec, rng)
