"""The Pratt parser that turns XLSForm expression tokens into AST nodes (see expr.py).

Operator precedence follows XPath 1.0: ``or`` < ``and`` < equality < relational <
additive < multiplicative < unary minus. Paths (``../x``, ``/data/x``) resolve to the
field named by their last step, which is how XLSForm authors use them.
"""

from __future__ import annotations

from tipintake.forms.expr import (
    MAX_DEPTH,
    And,
    Binary,
    Call,
    Current,
    ExprError,
    Literal,
    Name,
    Neg,
    Node,
    Or,
    Ref,
    Token,
)
from tipintake.forms.functions import FUNCTIONS, regex_problem
from tipintake.i18n import _

_INFIX = {
    "or": 10,
    "and": 20,
    "=": 30,
    "!=": 30,
    "<": 40,
    "<=": 40,
    ">": 40,
    ">=": 40,
    "+": 50,
    "-": 50,
    "*": 60,
    "div": 60,
    "mod": 60,
}
_WORD_OPS = frozenset({"or", "and", "div", "mod"})


class Parser:
    """Recursive descent with Pratt binding powers over a token list."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def parse(self) -> Node:
        """The whole expression; trailing tokens are an error."""
        node = self.expression(0)
        tok = self.peek()
        if tok.kind != "end":
            raise self.error(tok)
        return node

    # -- helpers --------------------------------------------------------------------------

    def peek(self) -> Token:
        """The next token, not consumed."""
        return self.tokens[self.i]

    def take(self) -> Token:
        """Consume and return the next token."""
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def error(self, tok: Token) -> ExprError:
        """A parse error at ``tok``."""
        if tok.kind == "end":
            return ExprError(_("the expression ends too early"), tok.pos)
        return ExprError(
            _("unexpected '{token}' at position {position}").format(token=tok.text, position=tok.pos + 1),
            tok.pos,
        )

    def expect(self, text: str) -> None:
        """Consume an operator token ``text`` or fail."""
        tok = self.take()
        if tok.kind != "op" or tok.text != text:
            if tok.kind == "end":
                raise ExprError(_("missing '{token}' at the end").format(token=text), tok.pos)
            raise self.error(tok)

    def infix_power(self, tok: Token) -> int:
        """Binding power of ``tok`` as an infix operator (0: not one)."""
        if tok.kind == "op" or (tok.kind == "name" and tok.text in _WORD_OPS):
            return _INFIX.get(tok.text, 0)
        return 0

    # -- grammar --------------------------------------------------------------------------

    def expression(self, rbp: int) -> Node:
        """Parse operators binding tighter than ``rbp``."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(_("the expression is nested too deeply"), self.peek().pos)
        left = self.prefix()
        while True:
            tok = self.peek()
            power = self.infix_power(tok)
            if power <= rbp:
                break
            self.take()
            right = self.expression(power)
            if tok.text == "and":
                left = And(left, right)
            elif tok.text == "or":
                left = Or(left, right)
            else:
                left = Binary(tok.text, left, right)
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        """An operand: literal, reference, path, call, parenthesised expression or negation."""
        tok = self.take()
        if tok.kind == "number":
            return Literal(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            return Literal(tok.text)
        if tok.kind == "ref":
            return Ref(tok.text)
        if tok.kind == "op":
            if tok.text == "-":
                return Neg(self.expression(55))
            if tok.text == "(":
                node = self.expression(0)
                self.expect(")")
                return node
            if tok.text in (".", "..", "/"):
                return self.path(tok)
            if tok.text == "[":
                raise ExprError(_("XPath predicates ([...]) are not supported"), tok.pos)
            raise self.error(tok)
        if tok.kind == "name":
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text == "(":
                return self.call(tok)
            return self.path(tok)
        raise self.error(tok)

    def call(self, name_tok: Token) -> Node:
        """``name(arg, ...)`` for a function in the table."""
        name = name_tok.text
        entry = FUNCTIONS.get(name)
        if entry is None:
            raise ExprError(_("unknown function {name}()").format(name=name), name_tok.pos)
        self.expect("(")
        args: list[Node] = []
        if not (self.peek().kind == "op" and self.peek().text == ")"):
            args.append(self.expression(0))
            while self.peek().kind == "op" and self.peek().text == ",":
                self.take()
                args.append(self.expression(0))
        self.expect(")")
        fn, least, most = entry
        if name == "regex" and len(args) == 2 and isinstance(args[1], Literal):
            problem = regex_problem(str(args[1].value))
            if problem is not None:
                raise ExprError(
                    {
                        "too long": _("the regular expression is longer than 400 characters"),
                        "nested repetition": _(
                            "the regular expression repeats a repeated group (nested repetition), "
                            "which can take forever on some answers"
                        ),
                    }.get(problem, _("the regular expression is not valid")),
                    name_tok.pos,
                )
        if len(args) < least or (most is not None and len(args) > most):
            raise ExprError(
                _("{name}() does not take {count} arguments").format(name=name, count=len(args)),
                name_tok.pos,
            )
        return Call(name, tuple(args), fn)

    def path(self, first: Token) -> Node:
        """A location path; its last named step is the field it means."""
        absolute = first.kind == "op" and first.text == "/"
        steps: list[str] = []
        if not absolute:
            steps.append(first.text)
        else:
            steps.append(self.step())
        while self.peek().kind == "op" and self.peek().text == "/":
            self.take()
            steps.append(self.step())
        last = steps[-1]
        if last in (".", ".."):
            return Current()
        if len(steps) == 1 and not absolute:
            return Name(last)
        return Ref(last)

    def step(self) -> str:
        """One path step: a name, ``.`` or ``..``."""
        tok = self.take()
        if tok.kind == "name" or (tok.kind == "op" and tok.text in (".", "..")):
            return tok.text
        raise self.error(tok)
