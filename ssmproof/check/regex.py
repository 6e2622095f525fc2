r"""The spec regex syntax (README, "Regular expressions") read by the checker's own parser.

Union ``|`` (lowest), concatenation, postfix ``* + ?``, grouping ``( )``, ``()`` for the empty
word; ``\c`` takes a character literally and ``'tok'`` a whole symbol. Over an alphabet of
one-character symbols each other character is a symbol; otherwise a maximal run of ordinary
characters must be exactly one symbol. The tree becomes an ε-NFA (Thompson), the NFA a DFA
(subsets), and :func:`~ssmproof.check.automaton.minimal` makes it minimal.
"""

from __future__ import annotations

from ssmproof.check.automaton import Dfa, materialize, minimal
from ssmproof.check.inputs import BadInput

__all__ = ["regex_dfa"]

_OPS = set("|*+?()")


def _lex(text: str, alphabet: tuple[str, ...], path: str) -> list[tuple[str, str, int]]:
    """Tokens ``(kind, text, column)``; the column (1-based) is where the token starts, so that
    a message points at the same character as the main parser's (:mod:`ssmproof.lang.regex`)."""
    compact = all(len(a) == 1 for a in alphabet)
    out: list[tuple[str, str, int]] = []
    run: list[tuple[str, int]] = []

    def bad(col: int, problem: str, fix: str) -> BadInput:
        return BadInput(path, "regex", f"{problem} at column {col}", fix)

    def flush() -> None:
        pieces = run if compact else [("".join(c for c, _ in run), run[0][1])] if run else []
        for sym, col in pieces:
            if sym not in alphabet:
                raise bad(col, f"'{sym}' is not a symbol of {list(alphabet)}",
                          "use alphabet symbols only")
            out.append(("sym", sym, col))
        run.clear()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text):
                raise bad(i + 1, "a backslash ends the regex", "escape a character after it")
            run.append((text[i + 1], i + 1))
            i += 2
            continue
        if c == "'":
            flush()  # what came before is read first, as a quote ends it
            j, tok = i + 1, []
            while j < len(text) and text[j] != "'":
                if text[j] == "\\" and j + 1 < len(text):
                    j += 1
                tok.append(text[j])
                j += 1
            if j >= len(text):
                raise bad(i + 1, "unterminated quote", "close the symbol with '")
            run.append(("".join(tok), i + 1))
            flush()
            i = j + 1
            continue
        if c.isspace() or c in _OPS:
            flush()
            if c in _OPS:
                out.append(("op", c, i + 1))
        else:
            run.append((c, i + 1))
        i += 1
    flush()
    return out


class _Nfa:
    """Thompson construction: ``eps[s]`` ε-successors, ``edge[s]`` (symbol, target) pairs."""

    def __init__(self) -> None:
        self.eps: list[list[int]] = []
        self.edge: list[list[tuple[str, int]]] = []

    def new(self) -> int:
        self.eps.append([])
        self.edge.append([])
        return len(self.eps) - 1


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], path: str, end: int) -> None:
        self.toks, self.pos, self.path, self.nfa = tokens, 0, path, _Nfa()
        self.end = end  # the column just past the text: where "ran out" problems are

    def bad(self, problem: str, col: int | None = None) -> BadInput:
        if col is None:
            col = self.toks[self.pos][2] if self.pos < len(self.toks) else self.end
        return BadInput(self.path, "regex", f"{problem} at column {col}",
                        "see the README's regex syntax")

    def peek(self, ops: str) -> bool:
        return self.pos < len(self.toks) and self.toks[self.pos][0] == "op" and \
            self.toks[self.pos][1] in ops

    def union(self) -> tuple[int, int]:
        s, t = self.nfa.new(), self.nfa.new()
        while True:
            a, b = self.concat()
            self.nfa.eps[s].append(a)
            self.nfa.eps[b].append(t)
            if not self.peek("|"):
                return s, t
            self.pos += 1

    def concat(self) -> tuple[int, int]:
        s = cur = self.nfa.new()
        empty = True
        while self.pos < len(self.toks) and not self.peek("|)"):
            a, b = self.postfix()
            self.nfa.eps[cur].append(a)
            cur, empty = b, False
        if empty:
            raise self.bad("empty alternative")
        return s, cur

    def postfix(self) -> tuple[int, int]:
        a, b = self.atom()
        while self.peek("*+?"):
            op = self.toks[self.pos][1]
            self.pos += 1
            s, t = self.nfa.new(), self.nfa.new()
            self.nfa.eps[s].append(a)
            self.nfa.eps[b].append(t)
            if op in "*?":
                self.nfa.eps[s].append(t)
            if op in "*+":
                self.nfa.eps[b].append(a)
            a, b = s, t
        return a, b

    def atom(self) -> tuple[int, int]:
        kind, text, col = self.toks[self.pos]
        if kind == "op" and text != "(":
            raise self.bad(f"'{text}' has nothing to apply to")
        self.pos += 1
        if kind == "sym":
            s, t = self.nfa.new(), self.nfa.new()
            self.nfa.edge[s].append((text, t))
            return s, t
        if self.peek(")"):
            self.pos += 1
            s = self.nfa.new()
            return s, s
        inner = self.union()
        if not self.peek(")"):
            raise self.bad("unclosed '('", col)
        self.pos += 1
        return inner


def regex_dfa(name: str, text: str, alphabet: tuple[str, ...], path: str) -> Dfa:
    """The minimal complete DFA of ``text`` over ``alphabet``."""
    p = _Parser(_lex(text, alphabet, path), path, len(text) + 1)
    if not p.toks:
        raise BadInput(path, "regex", "the regex is empty", "see the README's regex syntax")
    start, final = p.union()
    if p.pos != len(p.toks):
        raise p.bad("unmatched ')'")
    nfa = p.nfa

    def closure(states: frozenset[int]) -> frozenset[int]:
        todo, seen = list(states), set(states)
        while todo:
            for t in nfa.eps[todo.pop()]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return frozenset(seen)

    def step(q: frozenset[int], a: str) -> frozenset[int]:
        return closure(frozenset(t for s in q for sym, t in nfa.edge[s] if sym == a))

    return minimal(materialize(name, alphabet, closure(frozenset({start})), step,
                               lambda q: final in q))
