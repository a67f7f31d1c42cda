"""Safe parsing of formulas a person types: ``parse("x^2 + y^2")``.

The text is tokenized and parsed here, by a small recursive-descent parser
that builds the sympy tree directly; it is never handed to ``sympify``,
``eval`` or anything else that evaluates strings. The grammar::

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary | <implicit> power)*
    unary   := ("+" | "-") unary | power
    power   := atom (("^" | "**") unary)?        # right-associative: 2^3^2 = 2^9
    atom    := NUMBER | NAME | FUNCTION "(" sum ")" | "(" sum ")"

Implicit multiplication joins a factor to anything but a number that follows
it: ``3x``, ``2(x+1)``, ``(x+1)(x-1)``, ``(x+1)x``, ``x(y+1)``, ``x y``.
Names are letters optionally followed by digits (``w1``). Without declared
variables, single letters and Greek letter names (with optional digits) are
variables, ordered x, y, z first, then alphabetically; ``pi`` and ``e`` are
constants. Refusals raise :class:`ExpressionError`, whose messages count
columns from 1 while its ``position`` attribute counts from 0.

Readings a person would not expect are refused, each with the two ways to
write what was meant: a signed exponent glued to what follows (``e^-2x``
would be x·e⁻²), ``e^`` with an exponent glued to what follows (``e^2x``),
a divisor glued to what follows (``1/2x`` would be x/2), ``0x10``/``0b101``
(not hexadecimal or binary numbers), ``1j`` (not an imaginary number) and a
number in scientific notation glued to a name (``2e-3x`` would be 0.002·x,
not 2e − 3x).
With a space the grammar above applies as written: ``e^-2 x`` is x·e⁻² and
``1/2 x`` is x/2. A character outside ASCII is named by its code point, and a
look-alike (full-width ``ｘ``, Cyrillic ``х``) is said not to be the Latin
letter it resembles.

Limits keep every input cheap, and the time to parse grows with the length of
the text only: at most 500 characters, 50 levels of nesting, 20 variables, 30
characters per number, constant exponents of magnitude at most 64, exact
numbers below 2**1023, constant function arguments below 1e308, constant parts
whose value is finite (``exp(710)`` is refused), a tree of at most
``MAX_NODES`` nodes and ``MAX_TREE_DEPTH`` levels, and an estimated Hessian of
at most ``MAX_DERIVATIVE_NODES`` nodes (so ``(x+1)(x+2)…(x+83)`` is refused
when typed, not after a long compilation). Each is checked before sympy
computes anything with it; a ``RecursionError`` anywhere inside becomes an
:class:`ExpressionError`. Parsing then takes milliseconds, and compiling the
exact Hessian of a formula near these limits about a second.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np
import sympy
from sympy.printing.numpy import NumPyPrinter

from gradcore.typing import FloatArray, Points

__all__ = ["ExpressionError", "Function", "is_function", "parse"]

MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_NUMBER_LENGTH = 30
MAX_EXPONENT = 64
MAX_VARIABLES = 20
MAX_TERMS = 100  # terms of one sum, factors of one product
MAX_NODES = 600  # nodes of the parsed tree (500 characters make at most about 500)
MAX_TREE_DEPTH = 120  # levels of the parsed tree: 50 levels of nesting make at most about 100
MAX_DERIVATIVE_NODES = 40_000  # estimated nodes of the whole Hessian, counted as a tree: about a second to compile
MAX_COMPILE_NODES = 200_000  # nodes handed to the compiler at once, the last guard for any Function
_RECURSION_LIMIT = 6000  # Python frames allowed while sympy walks a tree within the limits above
_MAX_BITS = 1023  # exact numbers stay below 2**1023, so each one converts to a float
_MAX_ARGUMENT = 1e308  # constant arguments of functions, so sympy evaluates them cheaply


class ExpressionError(ValueError):
    """A formula that :func:`parse` refuses.

    Attributes
    ----------
    text
        The formula as typed.
    position
        0-based index of the problem in ``text``, or None when the problem is
        the text as a whole. Messages count columns from 1, as editors do, and
        show the formula with a caret under the spot.

    Examples
    --------
    >>> try:
    ...     parse("sinx + 1")
    ... except ExpressionError as error:
    ...     print(error.position)
    ...     print(error)
    0
    unknown name 'sinx' at column 1 in 'sinx + 1'; did you mean 'sin(x)'?
        sinx + 1
        ^
    """

    def __init__(self, problem: str, text: str, position: int | None = None, hint: str = "") -> None:
        self.text = text
        self.position = position
        where = "" if position is None else f" at column {position + 1}"
        shown = f" in {text!r}" if len(text) <= 60 else ""
        message = f"{problem}{where}{shown}" + (f"; {hint}" if hint else "")
        if position is not None:
            message += "\n" + _caret(text, position)
        super().__init__(message)


def _caret(text: str, position: int, width: int = 70) -> str:
    start = max(0, min(position - width // 2, len(text) - width))
    line = "".join(c if c.isprintable() else " " for c in text[start : start + width])
    return f"    {line}\n    {' ' * (position - start)}^"


# Section: vocabulary


def _function(name: str, **methods: Any) -> type[sympy.Function]:
    """A one-argument sympy function that keeps the formula as typed.

    sympy's own ``sin``, ``acos``, ``Abs``, ... simplify themselves and answer
    assumption queries recursively, at a cost that grows exponentially with
    nesting (``acos(acos(...(x)))``). These never evaluate; printers and
    ``evalf`` still find them by name (``sin`` → ``numpy.sin``, ``mpmath.sin``).
    """
    return type(name, (sympy.Function,), {"nargs": 1, **methods})


def _exp_latex(self: sympy.Function, printer: Any, exp: str | None = None) -> str:
    return printer._do_exponent(f"e^{{{printer._print(self.args[0])}}}", exp)  # as sympy prints its exp


_fn = SimpleNamespace(
    **{name: _function(name) for name in "sin cos tan asin acos atan sinh cosh tanh log Abs sign".split()},
    exp=_function("exp", _latex=_exp_latex),
)
_FUNCTIONS: dict[str, Any] = {
    "sin": _fn.sin, "cos": _fn.cos, "tan": _fn.tan,
    "asin": _fn.asin, "acos": _fn.acos, "atan": _fn.atan,
    "arcsin": _fn.asin, "arccos": _fn.acos, "arctan": _fn.atan,
    "sinh": _fn.sinh, "cosh": _fn.cosh, "tanh": _fn.tanh,
    "exp": _fn.exp, "log": _fn.log, "ln": _fn.log,
    "sqrt": sympy.sqrt, "abs": _fn.Abs,
}  # fmt: skip
_DERIVATIVES = {  # f'(u) for each function f, by name
    "sin": lambda u: _fn.cos(u),
    "cos": lambda u: -_fn.sin(u),
    "tan": lambda u: 1 + _fn.tan(u) ** 2,
    "asin": lambda u: 1 / sympy.sqrt(1 - u**2),
    "acos": lambda u: -1 / sympy.sqrt(1 - u**2),
    "atan": lambda u: 1 / (1 + u**2),
    "sinh": lambda u: _fn.cosh(u),
    "cosh": lambda u: _fn.sinh(u),
    "tanh": lambda u: 1 - _fn.tanh(u) ** 2,
    "exp": lambda u: _fn.exp(u),
    "log": lambda u: 1 / u,
    "Abs": lambda u: _fn.sign(u),
    "sign": lambda u: sympy.S.Zero,  # wherever it exists (u ≠ 0)
}
_DOMAINS = {  # where the real function is defined, for constant arguments, by name
    "log": ("positive", lambda v: v > 0),
    "sqrt": ("at least 0", lambda v: v >= 0),
    "asin": ("between -1 and 1", lambda v: -1 <= v <= 1),
    "acos": ("between -1 and 1", lambda v: -1 <= v <= 1),
}
_CONSTANTS = {"pi": sympy.pi, "e": sympy.E}
_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa mu nu xi omicron "
    "rho sigma tau upsilon phi chi psi omega"
).split()  # lowercase, without lambda (a Python keyword) and pi (a constant)
_TYPST_GREEK = {*_GREEK, "lambda", "pi", *(g.capitalize() for g in _GREEK), "Lambda", "Pi"}
_NAME = re.compile(r"([A-Za-z]+)([0-9]*)")
_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
_CHARACTER_HINTS = {
    ".": "write decimals like 0.5",
    "_": "names are letters optionally followed by digits, e.g. w1",
    "[": "use parentheses ( ) for grouping",
    "]": "use parentheses ( ) for grouping",
    "{": "use parentheses ( ) for grouping",
    "}": "use parentheses ( ) for grouping",
    "=": "write only the right-hand side, e.g. 'x^2' rather than 'f = x^2'",
    ";": "write a single formula",
    "'": "names are written without quotes",
    '"': "names are written without quotes",
    "|": "write abs(x) for |x|",
    "−": "write '-'",
    "×": "write '*'",
    "·": "write '*'",
    "²": "write '^2'",
    "³": "write '^3'",
    "π": "write 'pi'",
    "√": "write 'sqrt(x)'",
}


def _is_variable_shaped(name: str) -> bool:
    """Whether an undeclared name counts as a variable: ``x``, ``w1``, ``theta``, ``theta2``."""
    letters = _NAME.fullmatch(name)
    return letters is not None and (len(letters[1]) == 1 or letters[1] in _GREEK)


def _name_key(name: str) -> tuple[str, int]:
    letters, digits = _NAME.fullmatch(name).groups()
    return letters, int(digits) if digits else -1  # w2 before w10


# Section: tokenizer


class _Token(NamedTuple):
    kind: str  # "number", "name", "end", or the operator itself ("^" also for "**")
    text: str
    pos: int


_TOKEN = re.compile(
    r"(?P<space>[ \t\n\r\f\v]+)"
    r"|(?P<number>(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9]*)"
    r"|(?P<op>\*\*|[-+*/^(),])"
)


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _character_error(text, pos)
        kind = match.lastgroup
        if kind == "op":
            kind = "^" if match[0] == "**" else match[0]
        if kind != "space":
            tokens.append(_Token(kind, match[0], pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


_LOOK_ALIKES = dict(
    zip(
        "аеорсухѕіјԁԛԝАВЕКМНОРСТХЅІЈΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
        "aeopcyxsijdqwABEKMHOPCTXSIJABEZHIKMNOPTYXo",
        strict=True,
    )
)  # Cyrillic and Greek letters drawn like Latin ones (NFKC leaves them as they are)


def _character_error(text: str, pos: int) -> ExpressionError:
    """The refusal of a character the tokenizer does not take, named by its code point.

    A look-alike (full-width ``ｘ``, Cyrillic ``х``, a no-break space) is said
    not to be the ASCII character it resembles, because its glyph alone cannot
    tell them apart.

    Examples
    --------
    >>> print(_character_error("х^2", 0).args[0].splitlines()[0])
    unexpected character 'х' (U+0445 CYRILLIC SMALL LETTER HA) at column 1 in 'х^2'; it is not the Latin letter 'x': retype it
    """
    char = text[pos]
    name = unicodedata.name(char, "")
    shown = f"{char!r} (U+{ord(char):04X}{' ' + name if name else ''})"
    plain = unicodedata.normalize("NFKC", char)
    resembles = _LOOK_ALIKES.get(char, plain if plain != char and plain.isascii() else "")
    if char in _CHARACTER_HINTS:
        hint = _CHARACTER_HINTS[char]
    elif resembles.isspace():
        hint = "it is not a plain space: retype it"
    elif resembles:
        kind = "Latin letter" if resembles.isalpha() else "digit" if resembles.isdigit() else "character"
        hint = f"it is not the {kind} {resembles!r}: retype it"
    elif name.startswith("GREEK") and name.split()[-1].lower() in _GREEK:
        hint = f"write the Greek letter's name, e.g. '{name.split()[-1].lower()}'"
    elif char.isalpha():
        hint = "names use the Latin letters a-z and A-Z"
    elif unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp"):
        hint = "an invisible or special space character: delete it"
    else:
        hint = ""
    return ExpressionError(f"unexpected character {shown}", text, pos, hint)


# Section: parser


class _Parser:
    """Recursive descent over the tokens, building a bounded sympy tree."""

    def __init__(self, text: str, variables: tuple[str, ...] | None, checked: bool = True) -> None:
        self.text = text
        self.checked = checked  # False: an unevaluated copy for markup of text already accepted
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.declared = variables
        self.seen: dict[str, sympy.Symbol] = {}

    def parse(self) -> sympy.Expr:
        expr = self._sum()
        tok = self._peek()
        if tok.kind == ")":
            raise self._error("unmatched ')'", tok, "remove it or add a '(' before")
        if tok.kind != "end":
            raise self._unexpected(tok)
        for number in expr.atoms(sympy.Number) if self.checked else ():
            self._check_size(number, None)
        return expr

    # helpers
    def _peek(self) -> _Token:
        return self.tokens[self.i]

    def _next(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _error(self, problem: str, tok: _Token | None, hint: str = "") -> ExpressionError:
        return ExpressionError(problem, self.text, None if tok is None else tok.pos, hint)

    @contextmanager
    def _nested(self, tok: _Token):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._error(
                f"formula nested too deeply (more than {MAX_DEPTH} levels)",
                tok,
                "parentheses, signs, powers and calls each count as a level",
            )
        yield
        self.depth -= 1

    def _unexpected(self, tok: _Token) -> ExpressionError:
        index = self.tokens.index(tok)
        prev = self.tokens[index - 1] if index > 0 else None
        if tok.kind == "end" and prev is not None:
            return self._error(f"formula ends after {prev.text!r}", prev, "something must follow it")
        if tok.kind == ")" and prev is not None and prev.kind == "(":
            return self._error("empty parentheses", prev)
        if tok.kind == ",":
            return self._error("unexpected ','", tok, "functions take one argument and there are no lists")
        after = f" after {prev.text!r}" if prev is not None else ""
        return self._error(f"unexpected {tok.text!r}{after}", tok, "expected a number, a name or '('")

    def _checked(self, node: sympy.Expr, tok: _Token) -> sympy.Expr:
        if not self.checked:
            return node
        if node.has(*_UNDEFINED):
            raise self._error("undefined value (a division by zero?)", tok)
        if node.has(sympy.I):
            raise self._error("value is not a real number", tok, "e.g. sqrt(-1) has no real value")
        for part in (node, *node.args):
            self._check_size(part, tok)
        if node.is_number and not node.is_Atom and not math.isfinite(abs(_numeric(node))):
            raise self._error(
                "constant too large (its value is beyond about 1e308)", tok, "exp(709) is about the largest"
            )
        return node

    def _check_size(self, number: sympy.Expr, tok: _Token | None) -> None:
        if number.is_Rational:
            too_big = max(number.p.bit_length(), number.q.bit_length()) > _MAX_BITS
        elif number.is_Float:
            too_big = not math.isfinite(float(number))
        else:
            return
        if too_big:
            raise self._error("number too large (beyond about 1e308)", tok)

    # grammar
    def _sum(self) -> sympy.Expr:
        left = self._product()
        terms = 1
        while (tok := self._peek()).kind in ("+", "-"):
            self.i += 1
            terms = self._count(terms, tok, "terms in one sum")
            right = self._product()
            left = self._checked(left + right if tok.kind == "+" else left - right, tok)
        return left

    def _product(self) -> sympy.Expr:
        first = self._peek()
        left = self._unary()
        factors = 1
        while True:
            tok = self._peek()
            if tok.kind in ("*", "/", "name", "("):
                factors = self._count(factors, tok, "factors in one product")
            if tok.kind in ("*", "/"):
                self.i += 1
                start = self._peek()
                right = self._unary()
                if tok.kind == "/" and right == 0:
                    raise self._error("division by zero", start)
                if tok.kind == "/":
                    self._refuse_glued(first, tok, start)
                left = self._checked(left * right if tok.kind == "*" else left / right, tok)
            elif tok.kind in ("name", "("):  # implicit multiplication: 3x, (x+1)(x-1), x y
                self._refuse_number_look_alike(tok)
                left = self._checked(left * self._power(), tok)
            elif tok.kind == "number":
                prev = self.tokens[self.i - 1]
                raise self._error(
                    f"missing operator between {prev.text!r} and {tok.text!r}",
                    tok,
                    f"write '{prev.text}*{tok.text}' or '{prev.text}^{tok.text}'",
                )
            else:
                return left

    def _count(self, count: int, tok: _Token, what: str) -> int:
        if count >= MAX_TERMS:
            raise self._error(f"more than {MAX_TERMS} {what}", tok, "write a shorter formula")
        return count + 1

    def _glued(self) -> str:
        """The factor that follows, glued to the previous token (no space between), as typed; else ""."""
        last, nxt = self.tokens[self.i - 1], self._peek()
        if nxt.kind not in ("name", "(") or last.pos + len(last.text) != nxt.pos:
            return ""
        if nxt.kind == "name":
            return nxt.text
        depth = 0
        for tok in self.tokens[self.i :]:  # the whole parenthesised group, to show it back
            depth += {"(": 1, ")": -1}.get(tok.kind, 0)
            if depth == 0:
                return self.text[nxt.pos : tok.pos + 1]
        return self.text[nxt.pos :]

    def _refuse_glued(self, first: _Token, op: _Token, start: _Token) -> None:
        """Refuse ``1/2x`` and ``e^-2x``: a factor glued to a divisor or exponent is not part of it."""
        after = self._glued()
        if not after:
            return
        head, symbol = self.text[first.pos : op.pos].rstrip(), op.text
        operand = self.text[start.pos : self._peek().pos]
        head, operand, after = (
            part if len(part) <= 24 else f"{part[:10]}…{part[-10:]}" for part in (head, operand, after)
        )
        if symbol == "/":
            read, what = f"({head}/{operand})·{after}", "divisor"
        else:
            read, what = f"{head}{symbol}({operand})·{after}", "exponent"
        raise self._error(
            f"'{head}{symbol}{operand}{after}' would read as {read}",
            self._peek(),
            f"write {head}{symbol}({operand}{after}) if {after} belongs to the {what}, or {head}{symbol}{operand}*{after}",
        )

    def _refuse_number_look_alike(self, tok: _Token) -> None:
        """Refuse ``0x10``, ``0b101``, ``1j`` and ``2e-3x``, which would read as products here, not as typed."""
        prev = self.tokens[self.i - 1]
        if prev.kind != "number" or not self._glued():
            return
        typed, product = prev.text + tok.text, f"{prev.text}*{tok.text}"
        bases = {"x": "hexadecimal", "b": "binary", "o": "octal"}
        if prev.text == "0" and re.fullmatch(r"[xX][0-9a-fA-F]+|[bB][01]+|[oO][0-7]+", tok.text):
            problem = f"'{typed}' would read as {product}, not as the {bases[tok.text[0].lower()]} {int(typed, 0)}"
            hint = f"write {int(typed, 0)}, or {product} if that is meant"
        elif tok.text in ("i", "j", "I", "J"):
            problem = f"'{typed}' would read as {product}, not as an imaginary number (formulas are real)"
            hint = f"write {product} if {tok.text} is a variable"
        elif re.search(r"[0-9][eE][-+]", prev.text):  # 2e-3x: 0.002·x, or 2e − 3x?
            mantissa, _, exponent = prev.text.partition("e") if "e" in prev.text else prev.text.partition("E")
            problem = f"'{typed}' would read as {float(prev.text):g}·{tok.text}"
            hint = f"write {product} for that, or {mantissa}*e {exponent[0]} {exponent[1:]}{tok.text} with Euler's e"
        else:
            return
        raise self._error(problem, prev, hint)

    def _unary(self) -> sympy.Expr:
        tok = self._peek()
        if tok.kind not in ("+", "-"):
            return self._power()
        self.i += 1
        with self._nested(tok):
            operand = self._unary()
        return -operand if tok.kind == "-" else operand  # -x^2 = -(x^2)

    def _power(self) -> sympy.Expr:
        first = self._peek()
        base = self._atom()
        tok = self._peek()
        if tok.kind != "^":
            return base
        self.i += 1
        start = self._peek()
        with self._nested(tok):
            exponent = self._unary()  # right-associative, and 2^-1 is allowed
        if start.kind in ("+", "-") or (base is sympy.E and start.kind != "("):  # x^2y stays x²·y
            self._refuse_glued(first, tok, start)
        return self._pow(base, exponent, start)

    def _pow(self, base: sympy.Expr, exponent: sympy.Expr, start: _Token) -> sympy.Expr:
        if not self.checked:
            return _fn.exp(exponent) if base is sympy.E else base**exponent
        if exponent.is_number:
            size = abs(_numeric(exponent))
            if not size <= MAX_EXPONENT:
                raise self._error(
                    f"exponent {_short(exponent)} is too large",
                    start,
                    f"constant exponents must lie between -{MAX_EXPONENT} and {MAX_EXPONENT}",
                )
            if base.is_Rational and exponent.is_Rational:  # estimate before sympy computes it
                bits = max(base.p.bit_length(), base.q.bit_length()) * size
                if bits > _MAX_BITS:
                    raise self._error("number too large (beyond about 1e308)", start)
        power = self._checked(_fn.exp(exponent) if base is sympy.E else base**exponent, start)
        if power.is_number and _numeric(power).imag != 0:  # (-8)^(1/3) is complex
            raise self._error("value is not a real number", start, "a negative base needs an integer exponent")
        return power

    def _atom(self) -> sympy.Expr:
        tok = self._next()
        if tok.kind == "number":
            return self._number(tok)
        if tok.kind == "name":
            return self._name(tok)
        if tok.kind == "(":
            with self._nested(tok):
                inner = self._sum()
            self._close(tok)
            return inner
        raise self._unexpected(tok)

    def _close(self, opening: _Token, function: str | None = None) -> None:
        tok = self._peek()
        if tok.kind == ")":
            self.i += 1
        elif tok.kind == "," and function is not None:
            raise self._error(f"function '{function}' takes one argument", tok)
        elif tok.kind == "end":
            raise self._error("unclosed '('", opening, "add a ')'")
        else:
            raise self._unexpected(tok)

    def _number(self, tok: _Token) -> sympy.Expr:
        if len(tok.text) > MAX_NUMBER_LENGTH:
            raise self._error(f"number longer than {MAX_NUMBER_LENGTH} characters", tok)
        if not any(c in tok.text for c in ".eE"):
            return sympy.Integer(int(tok.text))
        value = float(tok.text)
        if not math.isfinite(value):
            raise self._error(f"number {tok.text} is too large (beyond about 1e308)", tok)
        if value == 0 and any(c in "123456789" for c in re.split("[eE]", tok.text)[0]):
            raise self._error(f"number {tok.text} is too small (below about 1e-308)", tok)
        return sympy.Float(value)

    def _name(self, tok: _Token) -> sympy.Expr:
        name = tok.text
        if name in _FUNCTIONS:
            return self._call(tok)
        if self.declared is not None:
            is_variable = name in self.declared  # declared names win over the constants
        else:
            is_variable = name not in _CONSTANTS and _is_variable_shaped(name)
        if is_variable:
            if name not in self.seen and len(self.seen) == MAX_VARIABLES:
                raise self._error(f"more than {MAX_VARIABLES} variables", tok)
            return self.seen.setdefault(name, sympy.Symbol(name, real=True))
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        raise self._unknown(tok)

    def _call(self, tok: _Token) -> sympy.Expr:
        name = tok.text
        opening = self._peek()
        if opening.kind != "(":
            hint = f"write '{name}(x)^2' for a power" if opening.kind == "^" else f"e.g. '{name}(x)'"
            raise self._error(f"function '{name}' needs parentheses", tok, hint)
        self.i += 1
        if self._peek().kind == ")":
            raise self._error(f"function '{name}' needs an argument", self._peek(), f"e.g. '{name}(x)'")
        start = self._peek()
        with self._nested(opening):
            argument = self._sum()
        self._close(opening, function=name)
        if self.checked and argument.is_number:
            self._check_argument(name, _numeric(argument), start)
        return self._checked(_FUNCTIONS[name](argument), tok)

    def _check_argument(self, name: str, value: complex, start: _Token) -> None:
        if not abs(value) <= _MAX_ARGUMENT:  # evalf of cosh(cosh(...)) would need millions of digits
            raise self._error(f"argument of '{name}' is too large (beyond about 1e308)", start)
        domain, in_domain = _DOMAINS.get(_FUNCTIONS[name].__name__, ("", lambda v: True))
        if value.imag != 0 or not in_domain(value.real):  # keeps complex numbers out of the tree
            raise self._error(f"value of '{name}' is not a real number", start, f"its argument must be {domain}")

    def _unknown(self, tok: _Token) -> ExpressionError:
        name = tok.text
        variables = self.declared if self.declared is not None else ("x", "y", "z")
        is_call = self._peek().kind == "("
        kind = "function" if is_call else "name"
        suggestion = _suggest(name, variables, is_call)
        if suggestion:
            hint = f"did you mean {suggestion!r}?"
        elif is_call:
            hint = "the functions are " + ", ".join(sorted(_FUNCTIONS))
        elif self.declared is None:
            hint = "variables are single letters or Greek names, maybe with digits (w1); write products as a*b"
        else:
            hint = ""
        if self.declared is not None:
            listed = ", ".join(self.declared) if self.declared else "none"
            hint = f"{hint + '; ' if hint else ''}the variables are {listed}"
        return self._error(f"unknown {kind} {name!r}", tok, hint)


def _suggest(name: str, variables: Sequence[str], is_call: bool) -> str | None:
    """A likely fix for an unknown name: 'sin(x)' for 'sinx', 'x*y' for 'xy', or a close spelling."""
    if not is_call:
        for length in range(len(name) - 1, 1, -1):  # longest function prefix first: sinhx -> sinh(x)
            if name[:length] in _FUNCTIONS:
                return f"{name[:length]}({name[length:]})"
        pieces = _split(name, {*variables, *_CONSTANTS})
        if pieces:
            return "*".join(pieces)
    known = list(_FUNCTIONS) if is_call else [*_FUNCTIONS, *_CONSTANTS, *variables]
    close = difflib.get_close_matches(name, known, n=1)
    if not close:
        return None
    return f"{close[0]}(...)" if close[0] in _FUNCTIONS and not is_call else close[0]


def _split(name: str, pieces: set[str]) -> list[str] | None:
    """Split ``name`` into two or more known pieces, longest first piece first, or None.

    Each suffix of ``name`` is split at most once (memoized from the end), so
    the time grows with ``len(name)`` times the longest piece, never faster.

    Examples
    --------
    >>> _split("xyz", {"x", "y", "z", "xy"}), _split("xy", {"xy"})
    (['xy', 'z'], None)
    >>> _split("a" * 300 + "b", {"a", "aa"}) is None
    True
    """
    longest = max(map(len, pieces), default=0)
    split_from: list[list[str] | None] = [None] * len(name) + [[]]  # split_from[i]: pieces of name[i:]
    for i in range(len(name) - 1, -1, -1):
        most = len(name) - i - (i == 0)  # the whole name is not a split of it
        for length in range(min(longest, most), 0, -1):
            head = name[i : i + length]
            if head in pieces and split_from[i + length] is not None:
                split_from[i] = [head, *split_from[i + length]]
                break
    return split_from[0] or None


@contextmanager
def _guarded(text: str) -> Iterator[None]:
    """Room for sympy's recursive walks over a tree within the limits; a RecursionError left anyway is refused.

    The old recursion limit is restored afterwards (it is only ever raised).
    """
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, _RECURSION_LIMIT))
    try:
        yield
    except RecursionError:
        raise ExpressionError("formula too deeply nested to handle", text, None, "write a flatter formula") from None
    finally:
        sys.setrecursionlimit(old)


def _tree_shape(expr: sympy.Expr, most: int) -> tuple[int, int]:
    """Nodes and levels of ``expr`` as a tree (a shared part counted each time), counted up to ``most`` nodes.

    Examples
    --------
    >>> with sympy.evaluate(False):
    ...     _tree_shape(sympy.Symbol("x") + 1, 100)
    (3, 2)
    """
    nodes, levels, stack = 0, 0, [(expr, 1)]
    while stack and nodes <= most:
        node, level = stack.pop()
        nodes, levels = nodes + 1, max(levels, level)
        stack.extend((arg, level + 1) for arg in node.args)
    return nodes, levels


class _Sizes(NamedTuple):
    """Nodes of a tree and bounds on the nodes of its first and second derivatives along one variable."""

    tree: int
    first: int
    second: int
    varies: bool


def _product_sizes(tree: int, parts: Sequence[_Sizes]) -> tuple[int, int]:
    """Bounds for the first and second derivative of a product of ``parts`` (``tree`` nodes in all).

    (uv)' = u'v + uv': one term per factor that varies, that factor differentiated;
    differentiating each term again gives one term per factor that varies in it.
    """
    first = second = 1
    for i, part in enumerate(parts):
        if not part.varies:
            continue
        term = tree - part.tree + part.first
        first += 1 + term
        second += 1 + term - part.first + part.second
        second += sum(1 + term - other.tree + other.first for j, other in enumerate(parts) if j != i and other.varies)
    return first, second


def _derivative_sizes(expr: sympy.Expr) -> _Sizes:
    """Upper bounds on the nodes of the first and second derivatives of ``expr`` that :func:`_derivative` builds.

    Counted as trees without building anything, in time linear in the nodes of
    ``expr`` (and in the factors of its products squared), so a formula whose
    Hessian would take minutes to build and compile is refused before.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> _derivative_sizes(x**2).second < _derivative_sizes((x + 1) * (x + 2) * (x + 3)).second
    True
    """
    memo: dict[sympy.Expr, _Sizes] = {}

    def sizes(e: sympy.Expr) -> _Sizes:
        if e not in memo:
            memo[e] = _node_sizes(e, [sizes(arg) for arg in e.args])
        return memo[e]

    return sizes(expr)


def _node_sizes(e: sympy.Expr, parts: list[_Sizes]) -> _Sizes:
    tree = 1 + sum(part.tree for part in parts)
    if not any(part.varies for part in parts):
        return _Sizes(tree, 1, 1, e.is_Symbol)
    if e.is_Add:
        return _Sizes(tree, 1 + sum(p.first for p in parts), 1 + sum(p.second for p in parts), True)
    if e.is_Mul:
        return _Sizes(tree, *_product_sizes(tree, parts), True)
    if e.is_Pow and not parts[1].varies:  # (b^p)' = p b^(p-1) b'
        base, power = parts
        lowered = _Sizes(base.tree + power.tree + 2, 2 * power.tree + base.tree + base.first + 6, 0, True)
        pieces = [_Sizes(power.tree, 1, 1, False), lowered, _Sizes(base.first, base.second, 0, True)]
    elif e.is_Pow:  # (b^p)' = b^p (p' ln b + p b'/b)
        base, power = parts
        inner = power.first + power.tree + base.first + 2 * base.tree + 6
        inner_first = power.second + base.second + 3 * (base.tree + power.tree + base.first + power.first) + 10
        pieces = [_Sizes(tree, 1 + tree + inner, 0, True), _Sizes(inner, inner_first, 0, True)]
    else:  # f(u)' = f'(u) u', where f'(u) has a few nodes besides u (1/sqrt(1 - u^2) has most)
        (u,) = parts[:1]
        outer = _Sizes(8 + u.tree, 17 + 2 * u.tree + u.first, 0, True)
        pieces = [outer, _Sizes(u.first, u.second, 0, True)]
    first = 1 + sum(piece.tree for piece in pieces)
    return _Sizes(tree, first, _product_sizes(first, pieces)[0], True)


def _check_size_of(expr: sympy.Expr, display: sympy.Expr, n: int, text: str) -> None:
    """Refuse a tree too large or too deep to print, or whose exact Hessian would be too large to compile."""
    for tree in (expr, display):
        nodes, levels = _tree_shape(tree, MAX_NODES)
        if nodes > MAX_NODES:
            raise ExpressionError(f"formula too large (more than {MAX_NODES} parts)", text, None, "write a shorter one")
        if levels > MAX_TREE_DEPTH:
            raise ExpressionError(f"formula nested too deeply (more than {MAX_TREE_DEPTH} levels)", text, None)
    hessian = n * (n + 1) // 2 * _derivative_sizes(expr).second
    if hessian > MAX_DERIVATIVE_NODES:
        raise ExpressionError(
            f"formula too large to differentiate: its exact Hessian would have about {hessian} parts "
            f"(at most {MAX_DERIVATIVE_NODES})",
            text,
            None,
            "use fewer multiplied or nested parts",
        )


def _numeric(value: sympy.Expr) -> complex:
    """Value of a constant sympy expression to 15 digits, nan when it cannot be evaluated."""
    try:
        return complex(value.evalf(15))
    except (TypeError, ValueError, OverflowError):
        return complex(math.nan)


def _short(value: sympy.Expr) -> str:
    text = sympy.sstr(value)
    return text if len(text) <= 20 else text[:17] + "..."


def _ordered(names: Sequence[str]) -> tuple[str, ...]:
    first = [v for v in ("x", "y", "z") if v in names]
    return (*first, *sorted(set(names) - set(first), key=_name_key))


def _check_variables(variables: Sequence[str], text: str) -> tuple[str, ...]:
    if isinstance(variables, str):
        raise TypeError(f"variables must be a sequence of names, e.g. ('x', 'y'), not the string {variables!r}")
    names = tuple(variables)
    for name in names:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ExpressionError(f"variable name {name!r} is not letters optionally followed by digits", text)
        if name in _FUNCTIONS:
            raise ExpressionError(f"variable name {name!r} is a function name", text)
    if len(set(names)) != len(names):
        raise ExpressionError(f"variables {names!r} repeat a name", text)
    return names


def parse(text: str, variables: Sequence[str] | None = None) -> Function:
    """Parse a typed formula into a :class:`Function`, refusing anything unsafe.

    Parameters
    ----------
    text
        The formula, e.g. ``"x^2 + y^2"`` or ``"exp(-(x-1)**2) * cos(y)"``.
    variables
        Names of the variables in argument order. By default the names that
        appear, x, y, z first, then alphabetically. When given, any other name
        (except the constants ``pi`` and ``e``) is refused.

    Returns
    -------
    Function
        Callable on NumPy arrays, with exact gradient and Hessian.

    Raises
    ------
    ExpressionError
        With the column of the problem and a hint how to fix it.

    Examples
    --------
    >>> f = parse("x^3 - 3x")
    >>> f.variables, float(f(2.0)), f.gradient([[2.0]]).tolist()
    (('x',), 2.0, [[9.0]])
    >>> parse("w*x + b").variables
    ('x', 'b', 'w')
    """
    if not isinstance(text, str):
        raise TypeError(f"formula must be a str, not {type(text).__name__}")
    declared = None if variables is None else _check_variables(variables, text)
    if not text.strip():
        raise ExpressionError("empty formula", text, None, "type something like 'x^2 + y^2'")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"formula longer than {MAX_LENGTH} characters ({len(text)})", text)
    with _guarded(text):
        parser = _Parser(text, declared)
        expr = parser.parse()
        try:  # the same tree with nothing combined, so markup keeps the formula as typed
            with sympy.evaluate(False):
                display = _Parser(text, declared, checked=False).parse()
        except ExpressionError:  # pragma: no cover - the evaluated parse accepted the same text
            display = expr
        variables = declared if declared is not None else _ordered(list(parser.seen))
        _check_size_of(expr, display, len(variables), text)
    return Function(expr, variables, text, display=display)


# Section: evaluation


class _Float64Printer(NumPyPrinter):
    """NumPy code whose constants are float64 scalars, so arithmetic on
    constants overflows to inf (as NumPy does) instead of raising in Python."""

    def _float64(self, literal: str) -> str:
        return f"{self._module_format('numpy.float64')}({literal})"

    def _print_Integer(self, e: sympy.Integer) -> str:
        return self._float64(str(e.p))

    def _print_Rational(self, e: sympy.Rational) -> str:
        return f"({self._float64(str(e.p))}/{self._float64(str(e.q))})"

    def _print_Half(self, e: sympy.Rational) -> str:
        return self._print_Rational(e)

    def _print_Float(self, e: sympy.Float) -> str:
        return self._float64(repr(float(e)))

    def _print_Pi(self, e: sympy.Expr) -> str:
        return self._float64(repr(math.pi))

    def _print_Exp1(self, e: sympy.Expr) -> str:
        return self._float64(repr(math.e))

    def _print_ComplexInfinity(self, e: sympy.Expr) -> str:
        return self._float64("'nan'")  # a derivative like 1/sqrt(0) has no value there


def _derivative(expr: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """∂expr/∂symbol by the sum, product, power and chain rules, for real variables.

    Unlike ``expr.diff``, the product rule skips factors free of ``symbol``
    (sympy's own takes time cubic in the number of factors), ``|u|' = sgn(u) u'``
    and ``sgn' = 0`` (wherever it exists).
    """
    memo: dict[sympy.Expr, sympy.Expr] = {}

    def d(e: sympy.Expr) -> sympy.Expr:
        if e in memo:
            return memo[e]
        if not e.args:  # a symbol or a number
            result = sympy.S.One if e == symbol else sympy.S.Zero
        elif e.is_Add:
            result = sympy.Add(*map(d, e.args))
        elif e.is_Mul:  # (uv)' = u'v + uv', one term per factor that depends on the symbol
            f = e.args
            result = sympy.Add(*(sympy.Mul(*f[:i], df, *f[i + 1 :]) for i in range(len(f)) if (df := d(f[i])) != 0))
        elif e.is_Pow and d(e.base) == 0 and d(e.exp) == 0:
            result = sympy.S.Zero
        elif e.is_Pow and d(e.exp) == 0:  # (b^p)' = p b^(p-1) b'
            result = e.exp * e.base ** (e.exp - 1) * d(e.base)
        elif e.is_Pow and d(e.base) == 0:  # (b^p)' = b^p ln(b) p'
            result = e * _fn.log(e.base) * d(e.exp)
        elif e.is_Pow:  # (b^p)' = b^p (p' ln b + p b'/b)
            result = e * (d(e.exp) * _fn.log(e.base) + e.exp * d(e.base) / e.base)
        elif type(e).__name__ in _DERIVATIVES:  # chain rule: f(u)' = f'(u) u'
            u = e.args[0]
            result = _DERIVATIVES[type(e).__name__](u) * d(u) if d(u) != 0 else sympy.S.Zero
        else:
            result = e.diff(symbol)
        memo[e] = result
        return result

    return d(expr)


class Function:
    """A parsed formula: callable on arrays, with exact derivatives and markup.

    Parameters
    ----------
    expr
        The sympy expression (trusted: built by :func:`parse` or derived from one).
    variables
        Names of the variables, in argument order.
    text
        The formula as typed; by default sympy's string form of ``expr``.
    display
        The formula's tree as typed, unsimplified, used for :attr:`typst`
        (sympy would turn ``(x + 1.5)^2`` into ``2.25 (0.667 x + 1)^2``);
        by default ``expr``.

    Examples
    --------
    >>> f = parse("x^2 + 3 x y")
    >>> f(np.array([1.0, 2.0]), 1.0).tolist()
    [4.0, 10.0]
    >>> f.typst, f.latex
    ('x^2 + 3 x y', 'x^{2} + 3 x y')
    """

    def __init__(
        self, expr: sympy.Expr, variables: Sequence[str], text: str | None = None, display: sympy.Expr | None = None
    ) -> None:
        self.expr = expr
        self.display = expr if display is None else display
        self.variables = tuple(variables)
        self.text = sympy.sstr(expr) if text is None else text
        self._symbols = tuple(sympy.Symbol(v, real=True) for v in self.variables)

    @property
    def n(self) -> int:
        """Number of variables."""
        return len(self.variables)

    def __repr__(self) -> str:
        return f"Function({self.text!r}, variables={self.variables!r})"

    def _compile(self, exprs: list[sympy.Expr]):
        # Positional argument names (_0, _1, ...) cannot be keywords or shadow the NumPy
        # names in the generated code, and renaming once is cheaper than lambdify's dummify.
        nodes = 0
        for e in exprs:  # the last guard, for a Function not built by parse (its limits already hold)
            nodes += _tree_shape(e, MAX_COMPILE_NODES)[0]
            if nodes > MAX_COMPILE_NODES:
                raise ExpressionError(f"formula too large to compile: more than {MAX_COMPILE_NODES} parts", self.text)
        args = [sympy.Symbol(f"_{i}", real=True) for i in range(self.n)]
        rename = dict(zip(self._symbols, args, strict=True))
        with _guarded(self.text):
            exprs = [e.xreplace(rename) for e in exprs]
            return sympy.lambdify(args, exprs, modules="numpy", printer=_Float64Printer, cse=True)

    @cached_property
    def _value(self):
        return self._compile([self.expr])

    @cached_property
    def _gradient_exprs(self) -> tuple[sympy.Expr, ...]:
        with _guarded(self.text):
            return tuple(_derivative(self.expr, s) for s in self._symbols)

    @cached_property
    def _gradient_code(self):
        return self._compile(list(self._gradient_exprs))

    @cached_property
    def _hessian_code(self):
        g, s, n = self._gradient_exprs, self._symbols, self.n
        with _guarded(self.text):
            upper = {(i, j): _derivative(g[i], s[j]) for i in range(n) for j in range(i, n)}
        return self._compile([upper[min(i, j), max(i, j)] for i in range(n) for j in range(n)])

    def _points(self, p: Points) -> FloatArray:
        p = np.asarray(p, dtype=float)
        if p.shape[-1:] != (self.n,):
            raise ValueError(f"points must have shape (..., {self.n}) for variables {self.variables}, got {p.shape}")
        return p

    @staticmethod
    def _stack(parts: list[Any], shape: tuple[int, ...]) -> FloatArray:
        columns = [np.broadcast_to(np.asarray(c, dtype=float), shape) for c in parts]
        return np.stack(columns, axis=-1) if columns else np.zeros((*shape, 0))

    def __call__(self, *xs: Points) -> FloatArray:
        """Value at ``xs`` (one array per variable), broadcast like a ufunc."""
        if len(xs) != self.n:
            raise TypeError(f"{self!r} takes {self.n} arguments, got {len(xs)}")
        arrays = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in xs))
        shape = arrays[0].shape if arrays else ()
        return self._stack(self._value(*arrays), shape)[..., 0][()]

    def gradient(self, p: Points) -> FloatArray:
        """Exact gradient ``∇f`` at points ``p``: shape ``(..., n)`` in, ``(..., n)`` out.

        Examples
        --------
        >>> parse("x^2 + 3y").gradient([[1.0, 5.0], [2.0, 5.0]]).tolist()
        [[2.0, 3.0], [4.0, 3.0]]
        """
        p = self._points(p)
        return self._stack(self._gradient_code(*np.moveaxis(p, -1, 0)), p.shape[:-1])

    def hessian(self, p: Points) -> FloatArray:
        """Exact Hessian at points ``p``: shape ``(..., n)`` in, ``(..., n, n)`` out.

        Examples
        --------
        >>> parse("x^2 y").hessian([1.0, 3.0]).tolist()
        [[6.0, 2.0], [2.0, 0.0]]
        """
        p = self._points(p)
        flat = self._stack(self._hessian_code(*np.moveaxis(p, -1, 0)), p.shape[:-1])
        return flat.reshape(*p.shape[:-1], self.n, self.n)

    def diff(self, variable: str) -> Function:
        """Partial derivative along ``variable``, over the same variables.

        Examples
        --------
        >>> parse("x^3 + x y").diff("x").typst
        '3 x^2 + y'
        """
        if variable not in self.variables:
            raise ExpressionError(
                f"unknown variable {variable!r}",
                self.text,
                None,
                f"the variables are {', '.join(self.variables)}",
            )
        symbol = self._symbols[self.variables.index(variable)]
        with _guarded(self.text):
            return Function(_derivative(self.expr, symbol), self.variables)

    @property
    def latex(self) -> str:
        """LaTeX of the formula, by ``sympy.latex``."""
        with _guarded(self.text):
            return sympy.latex(self.expr)

    @property
    def gradient_latex(self) -> tuple[str, ...]:
        """LaTeX of each gradient component."""
        with _guarded(self.text):
            return tuple(sympy.latex(g) for g in self._gradient_exprs)

    @property
    def typst(self) -> str:
        """Typst math markup of the formula as typed (what goes between ``$ ... $``)."""
        with _guarded(self.text):
            return _TypstPrinter().doprint(self.display)

    @property
    def gradient_typst(self) -> tuple[str, ...]:
        """Typst math markup of each gradient component."""
        with _guarded(self.text):
            return tuple(_TypstPrinter().doprint(g) for g in self._gradient_exprs)


def is_function(obj: object) -> bool:
    """Whether ``obj`` is a parsed :class:`Function`.

    Examples
    --------
    >>> is_function(parse("x")), is_function(lambda x: x)
    (True, False)
    """
    return isinstance(obj, Function)


# Section: Typst printer

_SUM, _PRODUCT, _POWER, _ATOM = 1, 2, 3, 4
_TYPST_FUNCTIONS = {
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "log": "ln",
    "Abs": "abs",
    "sign": 'op("sgn")',
}
_TYPST_KNOWN = {"sin", "cos", "tan", "sinh", "cosh", "tanh", "sqrt", *_TYPST_FUNCTIONS}


class _TypstPrinter:
    """Typst math markup for sympy trees, in the term order ``sympy.latex`` uses."""

    def doprint(self, expr: sympy.Expr) -> str:
        return self._print(expr)

    def _precedence(self, e: sympy.Expr) -> int:
        if e.is_Add or ((e.is_Number or e.is_Mul) and e.could_extract_minus_sign()):
            return _SUM
        if e.is_Mul or (e.is_Rational and not e.is_Integer) or (e.is_Float and "dot" in self._print(e)):
            return _PRODUCT
        if e.is_Pow or e.func is _fn.exp:
            return _POWER
        return _ATOM

    def _wrap(self, e: sympy.Expr, level: int) -> str:
        text = self._print(e)
        return f"({text})" if self._precedence(e) < level else text

    def _exponent(self, e: sympy.Expr) -> str:
        if e.is_number and not e.is_Atom and e.doit().is_Rational:  # 3/2 typed as an exponent, kept unevaluated
            e = e.doit()
        if e.is_Rational and not e.is_Integer:
            return f"({e.p}/{e.q})"
        text = self._print(e)
        return text if re.fullmatch(r"[A-Za-z]+|[0-9]+", text) else f"({text})"

    def _print(self, e: sympy.Expr) -> str:
        if e.is_Add:
            return self._add(e)
        if e.is_Mul:
            return self._mul(e)
        if e.is_Pow:
            return self._pow(e)
        if e.is_Number:
            return self._number(e)
        if e is sympy.pi:
            return "pi"
        if e is sympy.E:
            return "e"
        if e.is_Symbol:
            return _typst_name(e.name)
        if e.func is _fn.exp:
            return "e^" + self._exponent(e.args[0])
        if isinstance(e, sympy.Function):
            name = type(e).__name__
            if name not in _TYPST_KNOWN:
                name = f'op("{name}")'
            return f"{_TYPST_FUNCTIONS.get(name, name)}({', '.join(self._print(a) for a in e.args)})"
        return '"' + sympy.sstr(e).replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _add(self, e: sympy.Add) -> str:
        terms = e.as_ordered_terms()
        out = self._print(terms[0])
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                out += " - " + self._wrap(-term, _PRODUCT)  # x^2 - 3 x, not x^2 + -3 x; x - (y - 1)
            else:
                out += " + " + self._print(term)
        return out

    def _mul(self, e: sympy.Mul) -> str:
        if e.could_extract_minus_sign():
            return "-" + self._wrap(-e, _PRODUCT)
        numerator, denominator = sympy.fraction(e, exact=True)
        if denominator != 1:
            return f"frac({self._print(numerator)}, {self._print(denominator)})"
        out = ""
        for factor in e.as_ordered_factors():
            text = self._wrap(factor, _PRODUCT)
            if out:
                out += " dot " if out[-1].isdigit() and text[0].isdigit() else " "  # 2 dot 3^x
            out += text
        return out

    def _pow(self, e: sympy.Pow) -> str:
        base, exponent = e.base, e.exp
        if exponent is sympy.S.Half:
            return f"sqrt({self._print(base)})"
        if exponent.is_Rational and exponent.is_negative:
            inverse = base if exponent == -1 else sympy.Pow(base, -exponent, evaluate=False)
            return f"frac(1, {self._print(inverse)})"
        return self._wrap(base, _ATOM) + "^" + self._exponent(exponent)

    def _number(self, e: sympy.Number) -> str:
        if e in _UNDEFINED:  # only in a derivative at a point where it has no value
            return f'"{e}"'
        if e.is_negative:
            return "-" + self._number(-e)
        if e.is_Integer:
            return str(e.p)
        if e.is_Rational:
            return f"frac({e.p}, {e.q})"
        mantissa, _, power = repr(float(e)).partition("e")  # 0.5, or 1.5 dot 10^(-3) for 1.5e-03
        if not power:
            return mantissa
        scale = f"10^({int(power)})"
        return scale if mantissa in ("1", "1.0") else f"{mantissa} dot {scale}"


def _typst_name(name: str) -> str:
    """``x`` → ``x``, ``theta`` → ``theta``, ``w1`` → ``w_1``, ``ab`` → ``"ab"``."""
    match = _NAME.fullmatch(name)
    if match is None:
        return '"' + name + '"'
    letters, digits = match.groups()
    base = letters if len(letters) == 1 or letters in _TYPST_GREEK else f'"{letters}"'
    return base + (f"_{digits}" if digits else "")
