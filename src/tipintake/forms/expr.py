"""XLSForm expressions: a tokenizer, a Pratt parser to an AST, and a tree-walking evaluator.

The syntax is the XPath subset ODK and KoboToolbox forms use: ``${field}`` references,
``.`` for the current answer, relative paths (``../field``), string and number literals,
``and or not() = != < <= > >= + - * div mod`` and a fixed table of functions (see
``functions.py``). Nothing here calls ``eval``/``exec`` or imports by name: a function
that is not in the table is a parse error, so an expression cannot run code or reach a
file. Parsing happens once per form; evaluation is a walk over small slotted nodes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tipintake.forms import values as v
from tipintake.i18n import _

MAX_LENGTH = 4000  # longer than any real XLSForm expression; bounds parse time
MAX_DEPTH = 60  # nesting bound: keeps the recursive parser and walker far from Python's limit


class ExprError(ValueError):
    """An expression that cannot be parsed; ``str()`` is one sentence, ``position`` a 0-based offset."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.position = position


@dataclass(slots=True)
class Context:
    """What an expression can see: answers by name, the current value, a choice row, the date."""

    answers: Mapping[str, Any]
    current: Any = ""
    choice: Mapping[str, str] | None = None
    today: date | None = None
    now: datetime | None = None


# --- tokens -----------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{\s*(?P<refname>[^}\s]*)\s*\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|\.\.|[=<>+\-*|(),/\[\].])
  | (?P<name>[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?)
    """,
    re.VERBOSE | re.ASCII,
)
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$", re.ASCII)


@dataclass(slots=True, frozen=True)
class Token:
    """One lexical unit: kind is ref, number, string, op, name or end."""

    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """Split an expression into tokens; raises ExprError on a character no token starts with."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise ExprError(
                _("unexpected character {char!r} at position {position}").format(
                    char=text[pos], position=pos + 1
                ),
                pos,
            )
        kind = m.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            name = m["refname"]
            if not _NAME_RE.match(name):
                raise ExprError(
                    _("'{ref}' is not a valid field reference").format(ref=m.group(0)), pos
                )
            tokens.append(Token("ref", name, pos))
        elif kind == "string":
            tokens.append(Token("string", m.group(0)[1:-1], pos))
        elif kind != "ws":  # white space separates tokens and is not one
            tokens.append(Token(kind, m.group(0), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- AST --------------------------------------------------------------------------------


class Expr:
    """A parsed expression. ``refs`` are the field names it reads; ``evaluate`` never raises."""

    __slots__ = ("source", "root", "refs", "names", "uses_current", "uses_today")

    def __init__(self, source: str, root: Node) -> None:
        self.source = source
        self.root = root
        refs: set[str] = set()
        names: set[str] = set()
        flags = {"current": False, "today": False}
        _collect(root, refs, names, flags)
        self.refs = frozenset(refs)
        self.names = frozenset(names)  # bare names: choice columns in a choice_filter
        self.uses_current = flags["current"]
        self.uses_today = flags["today"]

    def evaluate(self, ctx: Context) -> Any:
        """The expression's value for ``ctx``; odd input gives NaN or '' (as in ODK), never an exception."""
        try:
            return self.root.ev(ctx)
        except (ValueError, TypeError, ArithmeticError, RecursionError, IndexError, KeyError, AttributeError):
            return v.NAN

    def truth(self, ctx: Context) -> bool:
        """The expression's boolean value."""
        return v.to_bool(self.evaluate(ctx))

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"


class Node:
    """Base of AST nodes; each subclass evaluates itself (the tree walk)."""

    __slots__ = ()

    def ev(self, ctx: Context) -> Any:  # pragma: no cover - abstract
        """Evaluate this node."""
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        """Sub-nodes, for analysis."""
        return ()


class Literal(Node):
    """A number or string constant."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def ev(self, ctx: Context) -> Any:
        """The constant."""
        return self.value


class Ref(Node):
    """``${name}`` or a path whose last step names a field."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def ev(self, ctx: Context) -> Any:
        """The answer (blank when unanswered or not relevant)."""
        value = ctx.answers.get(self.name)
        return "" if value is None else value


class Name(Node):
    """A bare name: a choice column inside a choice_filter, else a field."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def ev(self, ctx: Context) -> Any:
        """Choice attribute first (``name`` is the choice code), then the answer."""
        if ctx.choice is not None and self.name in ctx.choice:
            return ctx.choice[self.name]
        value = ctx.answers.get(self.name)
        return "" if value is None else value


class Current(Node):
    """``.``: the answer being checked."""

    __slots__ = ()

    def ev(self, ctx: Context) -> Any:
        """The current answer."""
        return "" if ctx.current is None else ctx.current


class Neg(Node):
    """Unary minus."""

    __slots__ = ("operand",)

    def __init__(self, operand: Node) -> None:
        self.operand = operand

    def ev(self, ctx: Context) -> Any:
        """Minus the operand as a number."""
        return -v.to_number(self.operand.ev(ctx))

    def children(self) -> tuple[Node, ...]:
        """The operand."""
        return (self.operand,)


class And(Node):
    """``a and b`` (short-circuit)."""

    __slots__ = ("left", "right")

    def __init__(self, left: Node, right: Node) -> None:
        self.left, self.right = left, right

    def ev(self, ctx: Context) -> Any:
        """True when both are."""
        return v.to_bool(self.left.ev(ctx)) and v.to_bool(self.right.ev(ctx))

    def children(self) -> tuple[Node, ...]:
        """Both operands."""
        return (self.left, self.right)


class Or(And):
    """``a or b`` (short-circuit)."""

    __slots__ = ()

    def ev(self, ctx: Context) -> Any:
        """True when either is."""
        return v.to_bool(self.left.ev(ctx)) or v.to_bool(self.right.ev(ctx))


def _div(a: float, b: float) -> float:
    if b == 0:
        return v.NAN if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def _mod(a: float, b: float) -> float:
    if b == 0 or math.isinf(a):
        return v.NAN
    return math.fmod(a, b)


_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _div,
    "mod": _mod,
}


class Binary(Node):
    """Comparison and arithmetic operators."""

    __slots__ = ("op", "left", "right", "fn")

    def __init__(self, op: str, left: Node, right: Node) -> None:
        self.op, self.left, self.right = op, left, right
        self.fn = _ARITH.get(op)

    def ev(self, ctx: Context) -> Any:
        """Apply the operator with XPath's coercions."""
        a = self.left.ev(ctx)
        b = self.right.ev(ctx)
        op = self.op
        if self.fn is not None:
            return self.fn(v.to_number(a), v.to_number(b))
        if op == "=":
            return v.equals(a, b)
        if op == "!=":
            return not v.equals(a, b)
        return v.compare(op, a, b)

    def children(self) -> tuple[Node, ...]:
        """Both operands."""
        return (self.left, self.right)


class Call(Node):
    """A call of a function from the fixed table."""

    __slots__ = ("name", "args", "fn")

    def __init__(self, name: str, args: tuple[Node, ...], fn: Any) -> None:
        self.name, self.args, self.fn = name, args, fn

    def ev(self, ctx: Context) -> Any:
        """Call the table's implementation (it receives nodes, so if() stays lazy)."""
        return self.fn(ctx, self.args)

    def children(self) -> tuple[Node, ...]:
        """The arguments."""
        return self.args


def _collect(node: Node, refs: set[str], names: set[str], flags: dict[str, bool]) -> None:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Ref):
            refs.add(n.name)
        elif isinstance(n, Name):
            names.add(n.name)
        elif isinstance(n, Current):
            flags["current"] = True
        elif isinstance(n, Call) and n.name in ("today", "now"):
            flags["today"] = True
        stack.extend(n.children())


def parse(text: str) -> Expr:
    """Parse an XLSForm expression once; raises ExprError with one readable sentence."""
    from tipintake.forms.parser import Parser  # the parser needs the node classes above

    if not isinstance(text, str):
        raise ExprError(_("an expression must be text"))
    if len(text) > MAX_LENGTH:
        raise ExprError(_("the expression is longer than {limit} characters").format(limit=MAX_LENGTH))
    if not text.strip():
        raise ExprError(_("the expression is empty"))
    return Expr(text, Parser(tokenize(text)).parse())
