"""Whole-form checks after loading: expressions parse, refer to real fields, have no cycles.

Runs once per load (YAML or XLSForm). Each problem is a FormError naming the file, the
field's line and the field, using the wording authors see in the issue tracker:
``the constraint refers to unknown field ${agee}``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from tipintake.errors import FormError
from tipintake.forms.expr import Expr, parse
from tipintake.forms.program import CompileError, Program, program
from tipintake.forms.spec import FormField, FormSpec
from tipintake.i18n import _

KINDS = ("relevant", "calculation", "constraint", "required_if", "choice_filter", "repeat_count")


def invalid_message(kind: str) -> str:
    """Whole sentence (with {problem}) for an expression that does not parse."""
    return {
        "relevant": _("the relevance is not a valid expression: {problem}"),
        "calculation": _("the calculation is not a valid expression: {problem}"),
        "constraint": _("the constraint is not a valid expression: {problem}"),
        "required_if": _("the required condition is not a valid expression: {problem}"),
        "choice_filter": _("the choice filter is not a valid expression: {problem}"),
        "repeat_count": _("the repeat count is not a valid expression: {problem}"),
    }[kind]


def unknown_field_message(kind: str) -> str:
    """Whole sentence (with {ref}) for an expression naming a field the form lacks."""
    return {
        "relevant": _("the relevance refers to unknown field ${{{ref}}}"),
        "calculation": _("the calculation refers to unknown field ${{{ref}}}"),
        "constraint": _("the constraint refers to unknown field ${{{ref}}}"),
        "required_if": _("the required condition refers to unknown field ${{{ref}}}"),
        "choice_filter": _("the choice filter refers to unknown field ${{{ref}}}"),
        "repeat_count": _("the repeat count refers to unknown field ${{{ref}}}"),
    }[kind]


def unknown_name_message(kind: str) -> str:
    """Whole sentence (with {name}) for a bare name that is neither a field nor a choice column."""
    return {
        "relevant": _("the relevance refers to '{name}', which is neither a field nor a choice column"),
        "calculation": _("the calculation refers to '{name}', which is neither a field nor a choice column"),
        "constraint": _("the constraint refers to '{name}', which is neither a field nor a choice column"),
        "required_if": _("the required condition refers to '{name}', which is neither a field nor a choice column"),
        "choice_filter": _("the choice filter refers to '{name}', which is neither a field nor a choice column"),
        "repeat_count": _("the repeat count refers to '{name}', which is neither a field nor a choice column"),
    }[kind]


@functools.cache
def htcds_fields() -> frozenset[str]:
    """The HTCDS 2.0 field names (data/htcds_fields.txt)."""
    text = (Path(__file__).parent / "data" / "htcds_fields.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_standards(spec: FormSpec, path: str) -> None:
    """Every declared standard element must exist in HTCDS 2.0 / the CTDC format."""
    from tipintake.forms.ctdc import CTDC_NAMES

    for f in spec.walk():
        if f.standard.htcds and f.standard.htcds not in htcds_fields():
            raise FormError(path, _line(f, "standard"), _("'{name}' is not an HTCDS 2.0 field").format(name=f.standard.htcds), field=f.name)
        if f.standard.ctdc and f.standard.ctdc not in CTDC_NAMES:
            raise FormError(path, _line(f, "standard"), _("'{name}' is not a CTDC variable").format(name=f.standard.ctdc), field=f.name)


# Roles a form may give to several fields (a person has several phones); every other role
# names one field, because the consent gate and the CTDC export must not have to choose.
MULTI_ROLES = frozenset({"phone", "email", "id_number", "address", "other_names", "narrative"})


def check_roles_and_choices(spec: FormSpec, path: str) -> None:
    """Singular roles appear once; a choice list has no duplicate codes unless filtered."""
    seen: dict[str, str] = {}
    checked: object = None
    for f in spec.fields():
        if f.role and f.role not in MULTI_ROLES:
            if f.role in seen:
                raise FormError(path, _line(f, "role"), _("the role '{role}' is already given to the field '{other}'").format(
                    role=f.role, other=seen[f.role]), field=f.name)
            seen[f.role] = f.name
        if f.choices and not f.choice_filter and f.choices is not checked:
            values = [c.value for c in f.choices]
            duplicate = None
            if len(set(values)) != len(values):
                duplicate = next(x for i, x in enumerate(values) if x in values[:i])
            checked = f.choices  # fields sharing a named list share one tuple: check it once
            if duplicate is not None:
                raise FormError(path, _line(f, "choices"), _("the choice '{value}' appears twice in the list").format(
                    value=duplicate), field=f.name)


def check_form(spec: FormSpec, path: str) -> None:
    """Raise FormError for the first problem in the form's standards, roles, choices and expressions."""
    check_standards(spec, path)
    check_roles_and_choices(spec, path)
    try:
        prog = program(spec)  # compiled once and cached: the first keystroke reuses it
    except CompileError as exc:
        # A cycle's message is already whole; a parse error gets the expression's kind.
        message = str(exc) if exc.kind == "cycle" else invalid_message(exc.kind).format(problem=str(exc))
        field = spec.field(exc.field) if spec.has_field(exc.field) else None
        line = _line(field, exc.kind) if field is not None else None
        raise FormError(path, line, message, field=exc.field) from None
    for f in spec.walk():
        for kind in KINDS:
            text = getattr(f, kind)
            if not text:
                continue
            expr = _expr_of(prog, f.name, kind)
            if expr is None:
                continue
            for ref in sorted(expr.refs):
                if not spec.has_field(ref):
                    raise FormError(
                        path, _line(f, kind),
                        unknown_field_message(kind).format(ref=ref),
                        field=f.name,
                    )
            allowed = {"name", "label"}
            if kind == "choice_filter":
                for c in f.choices or ():
                    allowed |= set(c.attributes)
            for name in sorted(expr.names):
                if spec.has_field(name) or (kind == "choice_filter" and name in allowed):
                    continue
                raise FormError(
                    path, _line(f, kind),
                    unknown_name_message(kind).format(name=name),
                    field=f.name,
                )


def _line(f: FormField, kind: str) -> int | None:
    """The line of the expression's key when the form came from YAML, else the field's line."""
    key = "required" if kind == "required_if" else kind
    return f.key_lines.get(key, f.line)


def _expr_of(prog: Program, name: str, kind: str) -> Expr | None:
    compiled = prog.by_name.get(name)
    if compiled is None:  # a group: its relevance is folded into its children's chains
        source = getattr(prog.spec.field(name), kind)
        return parse(source) if source else None
    if kind == "relevant":
        return compiled.rel[-1] if compiled.field.relevant and compiled.rel else None
    return getattr(compiled, "calc" if kind == "calculation" else kind)
