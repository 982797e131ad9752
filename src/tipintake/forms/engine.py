"""The live evaluator the UI calls on every keystroke: answers in, relevance/values/errors out.

``FormState`` holds one record being filled. Setting an answer re-evaluates only the
fields that read it, directly or through other fields (the dependency graph in
``program.py``), in dependency order; it returns the names whose relevance, value or
error changed so the UI can repaint just those. Repeats are evaluated as one unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from tipintake.forms import values as v
from tipintake.forms.expr import Context
from tipintake.forms.program import Compiled, evaluate_scope, is_blank, normalise_result, program
from tipintake.forms.spec import Choice, FieldType, FormSpec
from tipintake.forms.validate import AnswerTypeError, check_scope, coerce


class FormState:
    """Relevance, effective values and errors of one record, kept up to date incrementally."""

    def __init__(self, spec: FormSpec, answers: Mapping[str, Any] | None = None, *,
                 today: date | None = None, extended: bool = True) -> None:
        self.spec = spec
        self.prog = program(spec)
        self.today = today
        self.extended = extended
        self.raw: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        self.relevance: dict[str, bool] = {}
        self.errors: dict[str, str] = {}
        self._type_errors: dict[str, str] = {}
        for name, value in (answers or {}).items():
            self._store(name, value)
        self._evaluate(self.prog.units)

    # -- reading ----------------------------------------------------------------------

    def is_relevant(self, name: str) -> bool:
        """Whether the question is shown (its groups' and its own relevance hold)."""
        unit = self.prog.unit_of(name)
        return self.relevance.get(unit, True) if unit != name else self.relevance.get(name, True)

    def value(self, name: str) -> Any:
        """The effective answer (None when blank or not relevant); calculations included."""
        return self.values.get(name)

    def error(self, name: str) -> str | None:
        """The error sentence for a field, or None."""
        return self.errors.get(name)

    def answers(self) -> dict[str, Any]:
        """The clean answers: relevant only, calculations computed."""
        return dict(self.values)

    def choices(self, name: str, instance: Mapping[str, Any] | None = None) -> list[Choice]:
        """The choices to offer now (a cascading choice_filter applied)."""
        c = self.prog.by_name[name]
        choices = list(c.field.choices or ())
        if c.choice_filter is None:
            return choices
        scope = {**self.values, **instance} if instance else self.values
        ctx = Context(scope, today=self.today)
        out = []
        for choice in choices:
            ctx.choice = {"name": choice.value, **choice.attributes}
            if c.choice_filter.truth(ctx):
                out.append(choice)
        return out

    # -- writing ----------------------------------------------------------------------

    def set(self, name: str, value: Any) -> set[str]:
        """Set one top-level answer (a repeat takes its whole list); returns what changed."""
        if not self.spec.has_field(name) or self.prog.unit_of(name) != name:
            raise KeyError(name)
        self._store(name, value)
        affected = self.prog.affected([name])
        return self._evaluate(c for c in self.prog.units if c.field.name in affected)

    def set_many(self, answers: Mapping[str, Any]) -> set[str]:
        """Set several answers at once (e.g. when a record is opened); returns what changed."""
        for name, value in answers.items():
            if self.spec.has_field(name) and self.prog.unit_of(name) == name:
                self._store(name, value)
        affected = self.prog.affected([n for n in answers if self.spec.has_field(n)])
        return self._evaluate(c for c in self.prog.units if c.field.name in affected)

    def refresh_today(self, today: date | None) -> set[str]:
        """Re-evaluate what reads today()/now() (after midnight, or in tests)."""
        self.today = today
        affected = self.prog.affected(self.prog.uses_today)
        return self._evaluate(c for c in self.prog.units if c.field.name in affected)

    # -- internals --------------------------------------------------------------------

    def _store(self, name: str, value: Any) -> None:
        if not self.spec.has_field(name):
            return
        f = self.spec.field(name)
        self._type_errors.pop(name, None)
        try:
            clean = coerce(f, value)
        except AnswerTypeError as exc:
            self._type_errors[name] = str(exc)
            self.raw.pop(name, None)
            return
        if clean is None:
            self.raw.pop(name, None)
        else:
            self.raw[name] = clean

    def _evaluate(self, units: Iterable[Compiled]) -> set[str]:
        changed: set[str] = set()
        values = self.values
        ctx = Context(values, today=self.today)
        for c in units:
            name = c.field.name
            relevant = True
            for e in c.rel:
                if not v.to_bool(e.evaluate(ctx)):
                    relevant = False
                    break
            old_value = values.get(name)
            if not relevant:
                values.pop(name, None)
            elif c.calc is not None:
                result = normalise_result(c.calc.evaluate(ctx))
                if is_blank(result):
                    values.pop(name, None)
                else:
                    values[name] = result
            elif c.children:
                evaluated = evaluate_scope((c,), self.raw, values, self.today)
                if name in evaluated:
                    values[name] = evaluated[name]
                else:
                    values.pop(name, None)
            elif name in self.raw:
                values[name] = self.raw[name]
            else:
                values.pop(name, None)
            if self.relevance.get(name) != relevant or values.get(name) != old_value:
                changed.add(name)
            self.relevance[name] = relevant
            changed |= self._recheck(c, relevant)
        return changed

    def _recheck(self, c: Compiled, relevant: bool) -> set[str]:
        name = c.field.name
        before = {k: e for k, e in self.errors.items() if k == name or k.startswith(name + "[")}
        for k in before:
            del self.errors[k]
        if relevant:
            if name in self._type_errors:
                self.errors[name] = self._type_errors[name]
            elif c.field.type is not FieldType.NOTE:
                check_scope(self.spec, (c,), self.values, {}, self.today, self.errors, "", self.extended)
        after = {k: e for k, e in self.errors.items() if k == name or k.startswith(name + "[")}
        return {name} if after != before else set()


def default_answers(spec: FormSpec) -> dict[str, Any]:
    """The answers a new record starts with: each top-level field's ``default``, coerced to its type."""
    out: dict[str, Any] = {}
    prog = program(spec)
    for f in spec.fields():
        if f.default is None or f.type in (FieldType.CALCULATE, FieldType.NOTE, FieldType.REPEAT):
            continue
        if prog.unit_of(f.name) != f.name:
            continue  # defaults inside repeats apply when the UI adds an instance
        try:
            value = coerce(f, f.default)
        except AnswerTypeError:
            continue  # a default that does not fit is ignored, never shown as an error
        if value is not None:
            out[f.name] = value
    return out

