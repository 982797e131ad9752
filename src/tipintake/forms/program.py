"""A form compiled for evaluation: parsed expressions, dependency graph, evaluation order.

Built once per FormSpec (``program(spec)``) and shared by validation, the incremental
evaluator the UI calls on every keystroke, and synthetic data. A field's *value
dependencies* are the fields its relevance (its own and its groups'), calculation and
repeat count read; checks (constraint, required-if, choice filter) read more but change
no value, so they may refer to each other freely. Value dependencies must not form a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tipintake.forms import values as v
from tipintake.forms.expr import Context, Expr, ExprError, parse
from tipintake.forms.spec import FieldType, FormField, FormSpec
from tipintake.i18n import _

EXPRESSION_KEYS = ("relevant", "calculation", "constraint", "required_if", "choice_filter", "repeat_count")


class CompileError(ExprError):
    """An expression of a field is wrong; carries the field and which expression."""

    def __init__(self, message: str, field: str, kind: str) -> None:
        super().__init__(message)
        self.field = field
        self.kind = kind


@dataclass(slots=True)
class Compiled:
    """One field's parsed expressions and what they read."""

    field: FormField
    rel: tuple[Expr, ...]  # its groups' relevance (outermost first), then its own
    calc: Expr | None = None
    constraint: Expr | None = None
    required_if: Expr | None = None
    choice_filter: Expr | None = None
    repeat_count: Expr | None = None
    deps: frozenset[str] = frozenset()  # fields whose values change this field's value/relevance
    reads: frozenset[str] = frozenset()  # every field any of its expressions reads
    children: tuple[Compiled, ...] = ()  # for a repeat: its fields, in evaluation order


@dataclass(slots=True)
class Program:
    """The compiled form: top-level units in evaluation order and who depends on whom."""

    spec: FormSpec
    units: tuple[Compiled, ...]
    by_name: dict[str, Compiled]
    dependents: dict[str, frozenset[str]] = field(default_factory=dict)
    uses_today: frozenset[str] = frozenset()

    def affected(self, changed: Iterable[str]) -> set[str]:
        """Top-level units to re-evaluate after ``changed`` answers changed (transitively)."""
        out: set[str] = set()
        stack = [self.unit_of(n) for n in changed]
        while stack:
            name = stack.pop()
            if name in out:
                continue
            out.add(name)
            stack.extend(self.dependents.get(name, ()))
        return out

    def unit_of(self, name: str) -> str:
        """The top-level unit holding ``name`` (its repeat, or itself)."""
        repeat = self.spec.repeat_of(name) if self.spec.has_field(name) else None
        while repeat is not None and self.spec.repeat_of(repeat.name) is not None:
            repeat = self.spec.repeat_of(repeat.name)
        return repeat.name if repeat is not None else name


_programs: dict[int, tuple[FormSpec, Program]] = {}


def program(spec: FormSpec) -> Program:
    """The compiled program for ``spec`` (cached per spec object)."""
    hit = _programs.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    prog = compile_form(spec)
    if len(_programs) > 64:
        _programs.clear()
    _programs[id(spec)] = (spec, prog)
    return prog


def _parse(f: FormField, kind: str, text: str | None) -> Expr | None:
    if text is None or not text.strip():
        return None
    try:
        return parse(text)
    except ExprError as exc:
        raise CompileError(str(exc), f.name, kind) from None


def compile_form(spec: FormSpec) -> Program:
    """Parse every expression and order the fields; raises CompileError on a bad expression or cycle."""
    by_name: dict[str, Compiled] = {}

    def build(nodes: Iterable[FormField], rel: tuple[Expr, ...]) -> list[Compiled]:
        out: list[Compiled] = []
        for f in nodes:
            own = _parse(f, "relevant", f.relevant)
            chain = (*rel, own) if own is not None else rel
            if f.type is FieldType.GROUP:
                out.extend(build(f.fields, chain))
                continue
            c = Compiled(
                field=f,
                rel=chain,
                calc=_parse(f, "calculation", f.calculation),
                constraint=_parse(f, "constraint", f.constraint),
                required_if=_parse(f, "required_if", f.required_if),
                choice_filter=_parse(f, "choice_filter", f.choice_filter),
                repeat_count=_parse(f, "repeat_count", f.repeat_count),
            )
            if f.type is FieldType.REPEAT:
                c.children = tuple(build(f.fields, ()))
            by_name[f.name] = c
            out.append(c)
        return out

    top = build(spec.children, ())
    for c in by_name.values():
        value_exprs = [*c.rel, c.calc, c.repeat_count]
        check_exprs = [c.constraint, c.required_if, c.choice_filter]
        deps = set().union(*(e.refs for e in value_exprs if e is not None))
        if c.choice_filter is not None:
            # A bare name in a choice filter is a choice column unless it names a field.
            deps |= {n for n in c.choice_filter.names if spec.has_field(n)}
        reads = deps | set().union(*(e.refs | e.names for e in check_exprs if e is not None))
        c.deps = frozenset(deps)
        c.reads = frozenset(reads)
    _fold_repeat_deps(top, by_name)
    units = _order(top, spec)
    prog = Program(spec=spec, units=tuple(units), by_name=by_name)
    dependents: dict[str, set[str]] = {}
    for unit in units:
        for name in unit.reads:
            if spec.has_field(name):
                src = prog.unit_of(name)
                if src != unit.field.name:
                    dependents.setdefault(src, set()).add(unit.field.name)
    prog.dependents = {k: frozenset(s) for k, s in dependents.items()}
    prog.uses_today = frozenset(
        c.field.name for c in units
        if any(e is not None and e.uses_today for e in (*c.rel, c.calc, c.constraint, c.required_if))
    )
    return prog


def _fold_repeat_deps(top: list[Compiled], by_name: dict[str, Compiled]) -> None:
    """A repeat, as one unit, depends on what any field inside it reads from outside."""

    def inner(c: Compiled) -> tuple[set[str], set[str], set[str]]:
        names = {c.field.name}
        deps, reads = set(c.deps), set(c.reads)
        for child in c.children:
            n, d, r = inner(child)
            names |= n
            deps |= d
            reads |= r
        return names, deps, reads

    for c in top:
        if c.field.type is FieldType.REPEAT:
            names, deps, reads = inner(c)
            c.deps = frozenset(deps - names)
            c.reads = frozenset(reads - names)


def _order(units: list[Compiled], spec: FormSpec) -> list[Compiled]:
    """Topological order over value dependencies, document order where free; cycles are errors."""
    index = {c.field.name: c for c in units}
    position = {name: i for i, name in enumerate(index)}
    state: dict[str, int] = {}
    out: list[Compiled] = []

    def visit(c: Compiled, trail: tuple[str, ...]) -> None:
        name = c.field.name
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise CompileError(
                _("the relevance or calculation depends on itself through ${other}").format(
                    other=trail[-1] if trail else name
                ),
                trail[0] if trail else name,
                "cycle",
            )
        state[name] = 1
        targets = {_top_unit(spec, d) for d in c.deps if spec.has_field(d)}
        if name in c.deps and c.calc is not None:
            raise CompileError(_("the calculation refers to the field itself"), name, "cycle")
        targets.discard(name)
        for dep in sorted(targets, key=lambda n: position.get(n, -1)):
            if dep in index:
                visit(index[dep], (*trail, name))
        state[name] = 2
        out.append(c)

    for c in units:
        visit(c, ())
    return out


def _top_unit(spec: FormSpec, name: str) -> str:
    repeat = spec.repeat_of(name)
    while repeat is not None and spec.repeat_of(repeat.name) is not None:
        repeat = spec.repeat_of(repeat.name)
    return repeat.name if repeat is not None else name


def is_blank(value: Any) -> bool:
    """True for an unanswered value (None, '', empty list)."""
    return value is None or value == "" or value == []


def normalise_result(value: Any) -> Any:
    """A calculation's result as a JSON answer: dates as ISO text, NaN as blank."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def evaluate_scope(
    units: Iterable[Compiled],
    raw: Mapping[str, Any],
    outer: Mapping[str, Any],
    today: date | None,
    relevance: dict[str, bool] | None = None,
) -> dict[str, Any]:
    """Effective values of ``units``: relevant answers and calculations, in order."""
    values: dict[str, Any] = dict(outer)
    ctx = Context(values, today=today)
    for c in units:
        name = c.field.name
        relevant = True
        for e in c.rel:
            if not v.to_bool(e.evaluate(ctx)):
                relevant = False
                break
        if relevance is not None:
            relevance[name] = relevant
        if not relevant:
            values.pop(name, None)
            continue
        if c.calc is not None:
            result = normalise_result(c.calc.evaluate(ctx))
            if is_blank(result):
                values.pop(name, None)
            else:
                values[name] = result
        elif c.children:
            instances = raw.get(name)
            if isinstance(instances, list):
                inner = _scope_names(c.children)
                values[name] = [
                    {k: val for k, val in evaluate_scope(c.children, inst, values, today).items() if k in inner}
                    if isinstance(inst, Mapping) else {}
                    for inst in instances
                ]
            else:
                values.pop(name, None)
        else:
            value = raw.get(name)
            if is_blank(value):
                values.pop(name, None)
            else:
                values[name] = value
    return values


def _scope_names(units: Iterable[Compiled]) -> frozenset[str]:
    return frozenset(c.field.name for c in units)
