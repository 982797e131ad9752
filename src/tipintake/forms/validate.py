"""Answers → clean answers and per-field errors, for one form.

``validate(spec, answers)`` coerces each answer to its field's type (native digits
become ASCII first), computes calculations, drops answers to questions that are not
relevant, then checks required, constraint and choice membership. The answers
``unknown``, ``refused`` and ``not_asked`` are kept as themselves where a field allows
them: they are answers, never the same as ``no``. Errors are one English sentence each,
through the gettext facade, keyed by field name (``repeat[2].child`` inside repeats).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tipintake.forms import values as v
from tipintake.forms.digits import to_ascii_digits
from tipintake.forms.expr import Context
from tipintake.forms.program import Compiled, evaluate_scope, is_blank, program
from tipintake.forms.spec import MISSING_CODES, FieldType, FormField, FormSpec
from tipintake.i18n import _
from tipintake.i18n.formtext import field_text

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DIGIT_ROLES = frozenset({"phone", "id_number"})


@dataclass(slots=True)
class ValidationResult:
    """Clean answers (relevant only, ASCII digits) and errors by field name."""

    answers: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    relevance: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors


class AnswerTypeError(ValueError):
    """An answer that does not fit its field's type; ``str()`` is the message."""


def coerce(f: FormField, value: Any) -> Any:
    """One answer in its field's JSON type; raises AnswerTypeError with a sentence."""
    t = f.type
    if isinstance(value, str):
        if t in (FieldType.INTEGER, FieldType.DECIMAL, FieldType.DATE, FieldType.DATETIME) or f.role in _DIGIT_ROLES:
            value = to_ascii_digits(value).strip()
        if value == "":
            return None
        if f.allow_missing and value in MISSING_CODES:
            return value
    if t is FieldType.TEXT:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return v.to_string(value)
        raise AnswerTypeError(_("Enter text."))
    if t is FieldType.INTEGER:
        if isinstance(value, bool):
            raise AnswerTypeError(_("Enter a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[-+]?\d{1,18}", value, re.ASCII):
            return int(value)
        raise AnswerTypeError(_("Enter a whole number."))
    if t is FieldType.DECIMAL:
        if isinstance(value, bool):
            raise AnswerTypeError(_("Enter a number."))
        if isinstance(value, int | float) and math.isfinite(value):
            return value
        number = v.to_number(value) if isinstance(value, str) and not _DATE_RE.match(value) else math.nan
        if math.isfinite(number):
            return number
        raise AnswerTypeError(_("Enter a number."))
    if t is FieldType.DATE:
        if isinstance(value, datetime):
            value = value.date().isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, str) and _DATE_RE.match(value) and v.parse_date(value) is not None:
            return value
        raise AnswerTypeError(_("Enter a date as YYYY-MM-DD."))
    if t is FieldType.DATETIME:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, str) and len(value) >= 10 and _DATE_RE.match(value[:10]):
            try:
                datetime.fromisoformat(value)
                return value
            except ValueError:
                pass
        raise AnswerTypeError(_("Enter a date and time as YYYY-MM-DDTHH:MM."))
    if t in (FieldType.SELECT_ONE, FieldType.YES_NO_UNKNOWN):
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise AnswerTypeError(_("Choose one of the answers."))
    if t is FieldType.SELECT_MULTIPLE:
        if isinstance(value, str):
            value = value.split()
        if isinstance(value, list | tuple) and all(isinstance(x, str) for x in value):
            seen: list[str] = []
            for x in value:
                if x.strip() and x.strip() not in seen:
                    seen.append(x.strip())
            return seen or None
        raise AnswerTypeError(_("Choose answers from the list."))
    if t is FieldType.REPEAT:
        if isinstance(value, list) and all(isinstance(x, Mapping) for x in value):
            return value
        raise AnswerTypeError(_("This part of the form expects a list of entries."))
    return None  # notes and calculations take no answer from the user


def validate(spec: FormSpec, answers: Mapping[str, Any], *, today: date | None = None, extended: bool = True) -> ValidationResult:
    """Check ``answers`` against ``spec``: clean answers and one error sentence per failing field.

    ``extended=False`` means the organisation has extended fields switched off: they are
    then never required (answers already given are kept and checked).
    """
    prog = program(spec)
    errors: dict[str, str] = {}
    if not isinstance(answers, Mapping):
        return ValidationResult({}, {"": _("The answers are not a set of named values.")})
    raw = _coerce_scope(prog.units, answers, errors, "", spec)
    for key in answers:
        if not isinstance(key, str) or not spec.has_field(key) or prog.unit_of(key) != key:
            errors[str(key)] = _("This form has no question called {name}.").format(name=key)
    relevance: dict[str, bool] = {}
    values = evaluate_scope(prog.units, raw, {}, today, relevance)
    check_scope(spec, prog.units, values, {}, today, errors, "", extended)
    return ValidationResult(values, errors, relevance)


def _coerce_scope(units: tuple[Compiled, ...], answers: Mapping[str, Any], errors: dict[str, str], prefix: str, spec: FormSpec) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for c in units:
        name = c.field.name
        if name not in answers or c.field.type in (FieldType.NOTE, FieldType.CALCULATE):
            continue
        try:
            value = coerce(c.field, answers[name])
        except AnswerTypeError as exc:
            errors[prefix + name] = str(exc)
            continue
        if c.children and value is not None:
            value = [
                _coerce_scope(c.children, inst, errors, f"{prefix}{name}[{i}].", spec)
                for i, inst in enumerate(value, start=1)
            ]
            for i, inst in enumerate(answers[name], start=1):
                for key in inst:
                    if key not in {ch.field.name for ch in c.children}:
                        errors[f"{prefix}{name}[{i}].{key}"] = _("This form has no question called {name}.").format(name=key)
        if value is not None:
            raw[name] = value
    return raw


def check_scope(spec: FormSpec, units: tuple[Compiled, ...], values: dict[str, Any], outer: Mapping[str, Any],
                 today: date | None, errors: dict[str, str], prefix: str, extended: bool) -> None:
    """Check required, choice membership and constraints of ``units``; errors go into ``errors``."""
    scope = {**outer, **values} if outer else values
    ctx = Context(scope, today=today)
    for c in units:
        f = c.field
        key = prefix + f.name
        if key in errors:
            continue
        relevant = True
        for e in c.rel:
            if not v.to_bool(e.evaluate(ctx)):
                relevant = False
                break
        if not relevant:
            continue
        value = scope.get(f.name)
        if is_blank(value):
            needed = f.required or (c.required_if is not None and c.required_if.truth(ctx))
            if needed and not (f.extended and not extended) and f.type not in (FieldType.NOTE, FieldType.CALCULATE):
                errors[key] = _message(spec, f, "required_message") or _("This question needs an answer.")
            continue
        if c.children and isinstance(value, list):
            for i, inst in enumerate(value, start=1):
                check_scope(spec, c.children, dict(inst), scope, today, errors, f"{key}[{i}].", extended)
            continue
        if f.choices is not None and f.type is not FieldType.CALCULATE:
            allowed = _allowed(c, ctx)
            chosen = value if isinstance(value, list) else [value]
            bad = next((x for x in chosen if x not in allowed), None)
            if bad is not None:
                errors[key] = _("'{value}' is not one of the answers to this question.").format(value=bad)
                continue
        if c.constraint is not None and not (f.allow_missing and value in MISSING_CODES):
            ctx.current = value
            ok = c.constraint.truth(ctx)
            ctx.current = ""
            if not ok:
                errors[key] = _message(spec, f, "constraint_message") or _(
                    "This answer breaks the form's rule: {rule}"
                ).format(rule=f.constraint)


def _allowed(c: Compiled, ctx: Context) -> frozenset[str] | set[str]:
    choices = c.field.choices or ()
    if c.choice_filter is None:
        return c.field.choice_values()
    allowed: set[str] = set()
    for choice in choices:
        ctx.choice = {"name": choice.value, **choice.attributes}
        if c.choice_filter.truth(ctx):
            allowed.add(choice.value)
    ctx.choice = None
    return allowed


def _message(spec: FormSpec, f: FormField, key: str) -> str:
    # The form's own message, through the catalogs (context format: i18n/formtext.py).
    return field_text(spec, f, key) if getattr(f, key) else ""
