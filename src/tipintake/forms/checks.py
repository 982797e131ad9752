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
from tipintake.forms.program import CompileError, Program, compile_form, program
from tipintake.forms.spec import FormSpec
from tipintake.i18n import _

_KIND_WORDS = {
    # TRANSLATORS: the names of a field's expressions, used in "the {kind} refers to ..."
    "relevant": "relevance",
    "calculation": "calculation",
    "constraint": "constraint",
    "required_if": "required condition",
    "choice_filter": "choice filter",
    "repeat_count": "repeat count",
}


def kind_word(kind: str) -> str:
    """The English word for an expression key, translated."""
    return _(_KIND_WORDS.get(kind, kind))


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
            raise FormError(path, f.line, _("'{name}' is not an HTCDS 2.0 field").format(name=f.standard.htcds), field=f.name)
        if f.standard.ctdc and f.standard.ctdc not in CTDC_NAMES:
            raise FormError(path, f.line, _("'{name}' is not a CTDC variable").format(name=f.standard.ctdc), field=f.name)


def check_form(spec: FormSpec, path: str) -> None:
    """Raise FormError for the first problem in the form's standards and expressions."""
    check_standards(spec, path)
    line_of = {f.name: f.line for f in spec.walk()}
    try:
        prog = compile_form(spec)
    except CompileError as exc:
        raise FormError(
            path,
            line_of.get(exc.field),
            _("the {kind} is not a valid expression: {problem}").format(kind=kind_word(exc.kind), problem=str(exc))
            if "depends on itself" not in str(exc) and "refers to the field itself" not in str(exc)
            else str(exc),
            field=exc.field,
        ) from None
    for f in spec.walk():
        for kind in ("relevant", "calculation", "constraint", "required_if", "choice_filter", "repeat_count"):
            text = getattr(f, kind)
            if not text:
                continue
            expr = _expr_of(prog, f.name, kind)
            if expr is None:
                continue
            for ref in sorted(expr.refs):
                if not spec.has_field(ref):
                    raise FormError(
                        path, f.line,
                        _("the {kind} refers to unknown field ${{{ref}}}").format(kind=kind_word(kind), ref=ref),
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
                    path, f.line,
                    _("the {kind} refers to '{name}', which is neither a field nor a choice column").format(
                        kind=kind_word(kind), name=name
                    ),
                    field=f.name,
                )
    # Cache the program for this spec object so the first keystroke does not compile it.
    program(spec)


def _expr_of(prog: Program, name: str, kind: str) -> Expr | None:
    compiled = prog.by_name.get(name)
    if compiled is None:  # a group: its relevance is folded into its children's chains
        source = getattr(prog.spec.field(name), kind)
        return parse(source) if source else None
    if kind == "relevant":
        return compiled.rel[-1] if compiled.field.relevant and compiled.rel else None
    return getattr(compiled, "calc" if kind == "calculation" else kind)
