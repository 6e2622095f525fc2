r"""Regular expressions over a declared alphabet → minimal DFA, through automata-lib.

We do not write a regex engine: a regex is read by a small parser of our own (so that every
error names its column), each symbol is then mapped to a safe single character, the result is
handed to automata-lib (``NFA.from_regex`` → ``DFA.from_nfa(minify=True)``) and the states and
symbols are mapped back.

Syntax
------
========================  ===============================================================
``x y`` or ``xy``         concatenation (juxtaposition)
``x | y``                 union (lowest precedence)
``x*`` ``x+`` ``x?``      zero or more, one or more, optional (highest precedence; stackable)
``( x )``                 grouping
``()``                    the empty word ε (e.g. ``a | ()``)
whitespace                separates tokens; otherwise ignored
``\c``                    the character ``c`` taken literally (``\(`` is the symbol ``(``,
                          ``\\`` a backslash, ``\'`` a quote)
``'tok'``                 the symbol ``tok`` written verbatim (``\'`` and ``\\`` escape)
========================  ===============================================================

How symbols are written depends on the alphabet:

* **Compact alphabets** (every symbol one character): each character that is not an operator,
  whitespace, a backslash or a quote is one symbol, so ``(aa)*`` is ``(a a)*``. A symbol that
  is an operator character is escaped: over ``( )`` the language ``()*`` is written
  ``(\(\))*``.
* **Token alphabets** (some symbol has several characters): symbols are written whole and
  separated by whitespace or operators: ``(w 0 | w 1)+``; operator characters inside a token
  are escaped or the token is quoted: ``(\(1 \)1)*`` or ``('(1' ')1')*``. A run of characters
  that is not exactly one symbol is an error, never split by guessing.

Anything else (an unknown symbol, an unbalanced parenthesis, an operator with nothing to apply
to, an empty alternative, a dangling backslash or quote) raises
:class:`~ssmproof.errors.SpecError` naming the column and the fix.

Examples
--------
>>> d = to_dfa("(aa)*", ("a",))
>>> d.states, [d.accepts("a" * n) for n in range(4)]
(('q0', 'q1'), [True, False, True, False])
>>> to_dfa("(\\(1 \\)1)*", ("(1", ")1")).accepts(("(1", ")1"))
True
>>> to_dfa("a|", ("a", "b"), path="x.json")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ssmproof.errors.SpecError: x.json: regex: empty alternative at column 3; write () for the ...
"""

from __future__ import annotations

import string
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from automata.fa.dfa import DFA as LibDFA
from automata.fa.nfa import NFA as LibNFA

from ssmproof.errors import SpecError
from ssmproof.lang.automaton import DFA

__all__ = [
    "Node",
    "Symbol",
    "Epsilon",
    "Concat",
    "Union",
    "Repeat",
    "parse",
    "to_dfa",
    "to_automata_lib",
    "OPERATORS",
    "MAX_NESTING",
]

OPERATORS = frozenset("|*+?()")
MAX_NESTING = 100
_ESCAPE, _QUOTE = "\\", "'"


@dataclass(frozen=True, slots=True)
class Symbol:
    """One alphabet symbol, by its index in the alphabet."""

    index: int


@dataclass(frozen=True, slots=True)
class Epsilon:
    """The empty word, written ``()``."""


@dataclass(frozen=True, slots=True)
class Concat:
    """Concatenation of two or more parts."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Union:
    """Union of two or more options."""

    options: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Repeat:
    """``child*``, ``child+`` or ``child?`` (``op`` is the operator character)."""

    op: str
    child: Node


Node = Symbol | Epsilon | Concat | Union | Repeat


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "op" or "sym"
    text: str  # operator character, or the symbol
    col: int  # 1-based column of its first character


# --------------------------------------------------------------------------------------------
# Lexing
# --------------------------------------------------------------------------------------------


class _Lexer:
    """Splits a regex into operator and symbol tokens (see the module docstring)."""

    def __init__(self, text: str, alphabet: Sequence[str], path: str) -> None:
        self.text, self.path, self.alphabet = text, path, tuple(alphabet)
        self.compact = all(len(a) == 1 for a in self.alphabet)
        self.tokens: list[_Token] = []
        self.chunk: list[tuple[str, int]] = []

    def run(self) -> list[_Token]:
        i = 0
        while i < len(self.text):
            i = self._one(i)
        self._flush()
        return self.tokens

    def _one(self, i: int) -> int:
        c = self.text[i]
        if c.isspace() or c in OPERATORS or c == _QUOTE:
            self._flush()
        if c in OPERATORS:
            self.tokens.append(_Token("op", c, i + 1))
        elif c == _ESCAPE:
            return self._escape(i)
        elif c == _QUOTE:
            return self._quoted(i)
        elif not c.isspace():
            self.chunk.append((c, i + 1))
        return i + 1

    def _escape(self, i: int) -> int:
        if i + 1 >= len(self.text):
            self._fail(i + 1, "a backslash ends the regex", "escape a character after it, or "
                       "write \\\\ for a backslash symbol")
        self.chunk.append((self.text[i + 1], i + 1))
        return i + 2

    def _quoted(self, i: int) -> int:
        j, out = i + 1, []
        while j < len(self.text) and self.text[j] != _QUOTE:
            if self.text[j] == _ESCAPE and j + 1 < len(self.text):
                j += 1
            out.append(self.text[j])
            j += 1
        if j >= len(self.text):
            self._fail(i + 1, "unterminated quote", "close the symbol with '")
        self._symbol("".join(out), i + 1)
        return j + 1

    def _flush(self) -> None:
        if not self.chunk:
            return
        chunk, self.chunk = self.chunk, []
        if self.compact:
            for c, col in chunk:
                self._symbol(c, col)
        else:
            self._symbol("".join(c for c, _ in chunk), chunk[0][1])

    def _symbol(self, text: str, col: int) -> None:
        if text not in self.alphabet:
            self._fail(col, f"'{text}' is not a symbol of the alphabet {list(self.alphabet)}",
                       self._symbol_fix())
        self.tokens.append(_Token("sym", text, col))

    def _symbol_fix(self) -> str:
        if self.compact:
            return "use only alphabet symbols, escaping operator characters with a backslash"
        return ("in a token alphabet write each symbol whole, separated by spaces; escape "
                "operator characters (\\( ) or quote the token ('(1')")

    def _fail(self, col: int, problem: str, fix: str) -> None:
        raise SpecError(self.path, "regex", f"{problem} at column {col}", fix)


# --------------------------------------------------------------------------------------------
# Parsing (recursive descent: union > concatenation > postfix > atom)
# --------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token], alphabet: Sequence[str], path: str,
                 length: int) -> None:
        self.tokens, self.path, self.end = tokens, path, length + 1
        self.index = {a: i for i, a in enumerate(alphabet)}
        self.pos, self.depth = 0, 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def is_op(self, ops: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == "op" and t.text in ops

    def col(self) -> int:
        t = self.peek()
        return t.col if t is not None else self.end

    def fail(self, problem: str, fix: str, col: int | None = None) -> None:
        where = self.col() if col is None else col
        raise SpecError(self.path, "regex", f"{problem} at column {where}", fix)

    def parse(self) -> Node:
        node = self.union()
        if self.peek() is not None:
            self.fail("unmatched ')'", "remove it, add a matching '(' or escape it as \\)")
        return node

    def union(self) -> Node:
        options = [self.concat()]
        while self.is_op("|"):
            self.pos += 1
            options.append(self.concat())
        return options[0] if len(options) == 1 else Union(tuple(options))

    def concat(self) -> Node:
        parts: list[Node] = []
        while self.peek() is not None and not self.is_op("|)"):
            parts.append(self.postfix())
        if not parts:
            self.fail("empty alternative", "write () for the empty word, or remove the '|'")
        return parts[0] if len(parts) == 1 else Concat(tuple(parts))

    def postfix(self) -> Node:
        node = self.atom()
        while self.is_op("*+?"):
            node = Repeat(self.tokens[self.pos].text, node)
            self.pos += 1
        return node

    def atom(self) -> Node:
        t = self.peek()
        assert t is not None
        if t.kind == "sym":
            self.pos += 1
            return Symbol(self.index[t.text])
        if t.text == "(":
            return self.group(t)
        self.fail(f"'{t.text}' has nothing to apply to", f"put a symbol or group before it, or "
                  f"escape it as \\{t.text} if it is a symbol")
        raise AssertionError  # unreachable: fail raises

    def group(self, opening: _Token) -> Node:
        self.pos += 1
        if self.is_op(")"):
            self.pos += 1
            return Epsilon()
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.fail(f"parentheses nested deeper than {MAX_NESTING}", "simplify the regex")
        node = self.union()
        if not self.is_op(")"):
            self.fail("unclosed '('", "add ')' or escape it as \\(", col=opening.col)
        self.pos += 1
        self.depth -= 1
        return node


def parse(text: str, alphabet: Sequence[str], *, path: str = "<regex>") -> Node:
    r"""Parse a regex over ``alphabet`` into a syntax tree (see the module docstring).

    Parameters
    ----------
    text : str
        The regex.
    alphabet : sequence of str
        The declared symbols; the regex may use any subset of them.
    path : str, optional
        The file named in error messages.

    Returns
    -------
    Node
        ``Symbol``, ``Epsilon``, ``Concat``, ``Union`` or ``Repeat``.

    Raises
    ------
    SpecError
        The regex cannot be read; the message names the column.

    Examples
    --------
    >>> parse("ab*", ("a", "b"))
    Concat(parts=(Symbol(index=0), Repeat(op='*', child=Symbol(index=1))))
    >>> parse("(a", ("a",), path="r.json")
    Traceback (most recent call last):
    ...
    ssmproof.errors.SpecError: r.json: regex: unclosed '(' at column 1; add ')' or escape it as \(
    """
    if not text.strip():
        raise SpecError(path, "regex", "the regex is empty",
                        "write () for the language {ε}, or give a pattern")
    tokens = _Lexer(text, alphabet, path).run()
    return _Parser(tokens, alphabet, path, len(text)).parse()


# --------------------------------------------------------------------------------------------
# The automata-lib adapter
# --------------------------------------------------------------------------------------------


def _safe_characters(count: int) -> tuple[str, ...]:
    """``count`` characters automata-lib treats as plain symbols: letters, digits, then CJK."""
    pool = string.ascii_letters + string.digits
    extra = max(0, count - len(pool))
    return tuple(pool[:count]) + tuple(chr(0x4E00 + i) for i in range(extra))


def _emit(node: Node, chars: Sequence[str]) -> str:
    if isinstance(node, Symbol):
        return chars[node.index]
    if isinstance(node, Epsilon):
        return "()"
    if isinstance(node, Concat):
        return "".join(f"({_emit(p, chars)})" for p in node.parts)
    if isinstance(node, Union):
        return "(" + "|".join(f"({_emit(p, chars)})" for p in node.options) + ")"
    return f"({_emit(node.child, chars)}){node.op}"


def to_automata_lib(text: str, alphabet: Sequence[str], *, path: str = "<regex>"
                    ) -> tuple[str, tuple[str, ...]]:
    r"""The automata-lib regex for ``text`` and the character standing for each symbol.

    Examples
    --------
    >>> to_automata_lib("(\\(1 \\)1)*", ("(1", ")1"))
    ('((a)(b))*', ('a', 'b'))
    """
    chars = _safe_characters(len(alphabet))
    return _emit(parse(text, alphabet, path=path), chars), chars


def to_dfa(text: str, alphabet: Sequence[str], *, name: str = "", path: str = "<regex>"
           ) -> DFA:
    """The complete minimal DFA of a regex over ``alphabet``.

    States are named ``q0, q1, …`` in breadth-first order from the start (symbols in alphabet
    order), except a rejecting trap state, which is named ``sink``.

    Parameters
    ----------
    text : str
        The regex (syntax in the module docstring).
    alphabet : sequence of str
        The declared symbols, in order.
    name : str, optional
        The language's name, stored on the DFA.
    path : str, optional
        The file named in error messages.

    Returns
    -------
    DFA

    Raises
    ------
    SpecError
        The regex cannot be read.

    Notes
    -----
    Thompson construction and subset construction (automata-lib): exponential in the worst
    case in the regex length; minimization by automata-lib's partition refinement.

    Examples
    --------
    >>> d = to_dfa("0*1", ("0", "1"), name="zeros_then_one")
    >>> d.states, sorted(d.accepting)
    (('q0', 'q1', 'sink'), [1])
    """
    mapped, chars = to_automata_lib(text, alphabet, path=path)
    nfa = LibNFA.from_regex(mapped, input_symbols=set(chars))
    lib = LibDFA.from_nfa(nfa, minify=True)
    return _from_lib(lib, tuple(alphabet), chars, name)


def _from_lib(lib: LibDFA, alphabet: tuple[str, ...], chars: Sequence[str], name: str) -> DFA:
    order = _bfs_order(lib, chars)
    index = {q: i for i, q in enumerate(order)}
    sink = len(order)
    rows = []
    for q in order:
        row = lib.transitions.get(q) or {}  # type: ignore[call-overload]
        rows.append(tuple(index[row[c]] if c in row else sink for c in chars))
    accepting = frozenset(index[q] for q in order if q in lib.final_states)
    if any(sink in r for r in rows):
        rows.append(tuple(sink for _ in chars))
    names = _state_names(rows, accepting)
    return DFA(alphabet=alphabet, states=names, start=0, accepting=accepting,
               delta=tuple(rows), name=name)


def _bfs_order(lib: LibDFA, chars: Sequence[str]) -> list[object]:
    order, seen = [lib.initial_state], {lib.initial_state}
    todo = deque(order)
    while todo:
        row = lib.transitions.get(todo.popleft(), {})
        for c in chars:
            t = row.get(c)
            if t is not None and t not in seen:
                seen.add(t)
                order.append(t)
                todo.append(t)
    return order


def _state_names(rows: list[tuple[int, ...]], accepting: frozenset[int]) -> tuple[str, ...]:
    """``q0, q1, …`` in order, except a rejecting trap state (at most one: the DFA is minimal)."""
    names, count = [], 0
    for q, row in enumerate(rows):
        if q not in accepting and set(row) == {q}:
            names.append("sink")
        else:
            names.append(f"q{count}")
            count += 1
    return tuple(names)
