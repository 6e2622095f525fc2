"""Acceptors in the AT&T text format (OpenFST ``fstcompile``/``fstprint``, pynini, HFST) ↔ specs.

Benchmark suites of regular languages are often shipped as OpenFST text files; this module reads
them wherever a spec is accepted (a path ending in ``.att`` or ``.fst.txt``) and writes a DFA
back (``ssmproof export-att``).

The format, as read here
------------------------
One line per arc or final state; fields are separated by tabs or spaces; blank lines are skipped.

``src dst label`` / ``src dst in out`` / ``src dst in out weight``
    an arc. With two labels they must be equal (an acceptor written as a transducer); a
    transducer whose labels differ is refused (project it first: ``fstproject``).
``state`` / ``state weight``
    a final state.

States are non-negative integers; the **start state is the source of the first line** (as in
OpenFST; a file whose first line is a final state starts there). Missing arcs go to a rejecting
sink, as for every spec.

Weights: the tropical semiring (OpenFST's default ``StdArc``) is assumed, whose *one* is ``0``;
an unweighted acceptor is one whose weights are all ``0`` (or absent). Any other weight is
refused, because ssmproof decides membership, not costs.

Symbols. A symbol table ``STEM.syms`` beside the file (``symbol id`` lines, as
``fstprint --save_isymbols`` and pynini write them) is used when present: arc labels are then
symbol names, the symbol with id ``0`` is epsilon, and the alphabet is every other symbol of the
table in id order (symbols without arcs go to the sink). Without a table, labels are taken as
written: ``0`` (OpenFST's epsilon id), ``<eps>``, ``@0@`` and ``@_EPSILON_SYMBOL_@`` are epsilon,
every other label is a symbol; integer labels are ordered numerically, then the others in order of
first appearance.

Nondeterminism. A deterministic file becomes a table spec with the file's state numbers as state
names. A file with epsilon arcs or two arcs from one state on one symbol is determinised by
automata-lib's subset construction (worst case exponential in the number of states, like a regex);
the result is a table spec with states ``q0, q1, …`` and the spec's description says so.

Bad files are refused with one line naming the file, the line number and the fix.

Examples
--------
>>> s = loads("0 1 a\\n1 0 b\\n1\\n", path="ab.att")
>>> s.name, s.alphabet, s.states, s.start, s.accepting
('ab', ('a', 'b'), ('0', '1'), '0', ('1',))
>>> from ssmproof.lang import dfa
>>> d = dfa.from_spec(s)
>>> d.accepts(("a", "b", "a")), d.accepts(("a", "b"))
(True, False)
>>> loads("0 1 a a 0.5\\n1\\n", path="w.att")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ssmproof.errors.SpecError: w.att: line 1: weight '0.5' is not the tropical one (0); ...
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from automata.fa.dfa import DFA as LibDFA
from automata.fa.nfa import NFA as LibNFA

from ssmproof.errors import SpecError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import regex
from ssmproof.lang.automaton import DFA
from ssmproof.lang.spec_type import MAX_FILE_BYTES, MAX_STATES, RESERVED_SYMBOLS, Spec

__all__ = ["EXTENSIONS", "EPSILON_LABELS", "is_att_path", "symbols_path", "load", "loads",
           "parse_symbols", "dumps", "write"]

EXTENSIONS = (".att", ".fst.txt")
"""File names read as AT&T text (lower-cased suffixes)."""

EPSILON_LABELS = frozenset({"0", "<eps>", "@0@", "@_EPSILON_SYMBOL_@"})
"""Labels read as epsilon when no symbol table is given."""

_SYMS_SUFFIX = ".syms"


def is_att_path(text: str) -> bool:
    """Whether a path names an AT&T file (by its extension).

    Examples
    --------
    >>> is_att_path("suite/L17.att"), is_att_path("x.FST.TXT"), is_att_path("x.json")
    (True, True, False)
    """
    return text.lower().endswith(EXTENSIONS)


def stem(path: str | os.PathLike[str]) -> str:
    """The file name without its AT&T extension (``L17.fst.txt`` → ``L17``)."""
    name = os.path.basename(os.fspath(path))
    for ext in EXTENSIONS:
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return os.path.splitext(name)[0]


def symbols_path(path: str | os.PathLike[str]) -> str:
    """The symbol table read beside an AT&T file: ``STEM.syms`` in the same folder.

    Examples
    --------
    >>> symbols_path("suite/L17.fst.txt")
    'suite/L17.syms'
    """
    return os.path.join(os.path.dirname(os.fspath(path)), stem(path) + _SYMS_SUFFIX)


# --------------------------------------------------------------------------------- reading
@dataclass(frozen=True, slots=True)
class _Table:
    """A symbol table: symbol → id, with the epsilon symbol (id 0) apart."""

    ids: Mapping[str, int]
    epsilon: str | None

    def alphabet(self) -> tuple[str, ...]:
        return tuple(sorted((s for s in self.ids if s != self.epsilon), key=self.ids.__getitem__))


@dataclass
class _Acceptor:
    """What the lines of a file say, before determinisation."""

    start: int | None = None
    arcs: list[tuple[int, str | None, int]] = field(default_factory=list)  # None: epsilon
    finals: set[int] = field(default_factory=set)
    states: dict[int, None] = field(default_factory=dict)  # insertion-ordered set
    labels: dict[str, None] = field(default_factory=dict)

    def see(self, q: int) -> None:
        if self.start is None:
            self.start = q
        self.states[q] = None


def load(path: str | os.PathLike[str]) -> Spec:
    """Read an AT&T acceptor file (and ``STEM.syms`` beside it, if any) into a table spec.

    Raises
    ------
    SpecError
        The file (or its symbol table) is missing, unreadable or has a bad line; the message names
        the file and the line number.
    """
    where = os.fspath(path)
    text = _read(Path(where))
    syms = symbols_path(where)
    table = parse_symbols(_read(Path(syms)), path=syms) if os.path.isfile(syms) else None
    return loads(text, path=where, symbols=table, name=stem(where))


def loads(text: str, *, path: str = "<att>", symbols: Mapping[str, int] | None = None,
          name: str | None = None) -> Spec:
    """Parse AT&T acceptor text into a table spec (determinised when needed).

    ``symbols`` maps symbol names to ids (id 0 is epsilon), as :func:`parse_symbols` returns.
    """
    table = None if symbols is None else _as_table(symbols)
    acceptor = _parse_lines(text, path, table)
    alphabet = _alphabet(acceptor, table, path)
    spec_name = name if name is not None else stem(path)
    if _deterministic(acceptor):
        return _table_spec(acceptor, alphabet, spec_name, path)
    return _determinised_spec(acceptor, alphabet, spec_name, path)


def parse_symbols(text: str, *, path: str = "<syms>") -> dict[str, int]:
    """A symbol table's ``symbol id`` lines → ``{symbol: id}`` (errors name the line).

    Examples
    --------
    >>> parse_symbols("<eps> 0\\na 1\\nb 2\\n")
    {'<eps>': 0, 'a': 1, 'b': 2}
    """
    ids: dict[str, int] = {}
    owner: dict[int, str] = {}
    for number, fields in _lines(text):
        where = f"line {number}"
        if len(fields) != 2:
            raise SpecError(path, where, f"{len(fields)} fields; a symbol table line is "
                            "'symbol id'", "write one symbol and its integer id per line")
        symbol, id_text = fields
        sid = _natural(id_text, path, where, "symbol id")
        if symbol in ids:
            raise SpecError(path, where, f"symbol '{symbol}' listed again (first with id "
                            f"{ids[symbol]})", "list each symbol once")
        if sid in owner:
            raise SpecError(path, where, f"id {sid} given to '{symbol}' and to '{owner[sid]}'",
                            "give every symbol its own id")
        ids[symbol], owner[sid] = sid, symbol
    return ids


def _read(path: Path) -> str:
    where = str(path)
    if not path.is_file():
        raise SpecError(where, "", "no such file", "check the path")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SpecError(where, "", f"file has {size:,} bytes, above the limit of "
                        f"{MAX_FILE_BYTES:,}", "minimize the automaton first")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise SpecError(where, "", f"not UTF-8 text (byte {err.start})",
                        "save the file as UTF-8") from None


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if fields:
            yield number, fields


def _as_table(symbols: Mapping[str, int]) -> _Table:
    epsilon = next((s for s, i in symbols.items() if i == 0), None)
    return _Table(ids=dict(symbols), epsilon=epsilon)


def _parse_lines(text: str, path: str, table: _Table | None) -> _Acceptor:
    acceptor = _Acceptor()
    for number, fields in _lines(text):
        handler = _LINE_KINDS.get(len(fields))
        if handler is None:
            raise SpecError(path, f"line {number}", f"{len(fields)} fields; an AT&T line is "
                            "'src dst in [out [weight]]' or 'state [weight]'",
                            "split it into one arc or final state per line")
        handler(acceptor, fields, path, f"line {number}", table)
    if acceptor.start is None:
        raise SpecError(path, "", "no arcs and no final states (an empty file)",
                        "write at least one line; the first line's source is the start state")
    if len(acceptor.states) > MAX_STATES:
        raise SpecError(path, "", f"{len(acceptor.states):,} states, above the stated limit of "
                        f"{MAX_STATES:,}", "minimize the automaton first")
    return acceptor


def _final_line(acceptor: _Acceptor, fields: list[str], path: str, where: str,
                table: _Table | None) -> None:
    q = _natural(fields[0], path, where, "state")
    if len(fields) == 2:
        _check_weight(fields[1], path, where)
    acceptor.see(q)
    acceptor.finals.add(q)


def _arc_line(acceptor: _Acceptor, fields: list[str], path: str, where: str,
              table: _Table | None) -> None:
    src = _natural(fields[0], path, where, "source state")
    dst = _natural(fields[1], path, where, "destination state")
    label = fields[2]
    if len(fields) >= 4 and fields[3] != label:
        raise SpecError(path, where, f"input label '{label}' and output label '{fields[3]}' "
                        "differ (a 4-field arc is 'src dst in out'): a transducer, and ssmproof "
                        "reads acceptors", "write 'src dst label' or 'src dst label label weight'"
                        ", or project the transducer (fstproject)")
    if len(fields) == 5:
        _check_weight(fields[4], path, where)
    acceptor.see(src)
    acceptor.states[dst] = None
    symbol = _symbol(label, path, where, table)
    if symbol is not None:
        acceptor.labels[symbol] = None
    acceptor.arcs.append((src, symbol, dst))


_LINE_KINDS = {1: _final_line, 2: _final_line, 3: _arc_line, 4: _arc_line, 5: _arc_line}


def _natural(text: str, path: str, where: str, what: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise SpecError(path, where, f"{what} '{text}' is not a non-negative integer",
                        "number states (and symbol ids) 0, 1, 2, …")
    return int(text)


def _check_weight(text: str, path: str, where: str) -> None:
    try:
        value = float(text)
    except ValueError:
        raise SpecError(path, where, f"weight '{text}' is not a number",
                        "write 0 (the tropical one) or leave the weight out") from None
    if value != 0.0 or math.isnan(value):
        raise SpecError(path, where, f"weight '{text}' is not the tropical one (0); ssmproof "
                        "reads unweighted acceptors",
                        "drop the weights (fstmap --map_type=rmweight) or leave them out")


def _symbol(label: str, path: str, where: str, table: _Table | None) -> str | None:
    if table is None:
        if label in EPSILON_LABELS:
            return None
    else:
        if label not in table.ids:
            raise SpecError(path, where, f"label '{label}' is not in the symbol table "
                            f"{symbols_path(path)}", "add it to the table or fix the label")
        if label == table.epsilon:
            return None
    if label in RESERVED_SYMBOLS:
        raise SpecError(path, where, f"symbol '{label}' is reserved (BOS and EOS mark the ends "
                        "of a word)", "rename it, e.g. to 'bos_' or 'eos_'")
    return label


def _alphabet(acceptor: _Acceptor, table: _Table | None, path: str) -> tuple[str, ...]:
    if table is not None:
        alphabet = table.alphabet()
        bad = next((s for s in alphabet if s in RESERVED_SYMBOLS), None)
        if bad is not None:
            raise SpecError(symbols_path(path), "", f"symbol '{bad}' is reserved (BOS and EOS "
                            "mark the ends of a word)", "rename it, e.g. to 'bos_' or 'eos_'")
    else:
        numeric = sorted((s for s in acceptor.labels if s.isdigit() and s.isascii()), key=int)
        alphabet = (*numeric, *(s for s in acceptor.labels if s not in set(numeric)))
    if not alphabet:
        raise SpecError(path, "", "no symbols: every arc is an epsilon arc and no symbol table "
                        "lists one", f"add a symbol table {symbols_path(path)} or a labelled arc")
    return tuple(alphabet)


def _deterministic(acceptor: _Acceptor) -> bool:
    seen: dict[tuple[int, str], int] = {}
    for src, symbol, dst in acceptor.arcs:
        if symbol is None or seen.setdefault((src, symbol), dst) != dst:
            return False
    return True


def _table_spec(acceptor: _Acceptor, alphabet: tuple[str, ...], name: str, path: str) -> Spec:
    order = sorted(acceptor.states, key=lambda q: (q != acceptor.start, q))
    transitions = tuple(dict.fromkeys((str(s), a, str(d)) for s, a, d in acceptor.arcs
                                      if a is not None))
    return Spec(name=name, alphabet=alphabet, path=path, states=tuple(map(str, order)),
                start=str(acceptor.start), accepting=tuple(str(q) for q in sorted(acceptor.finals)),
                transitions=transitions, source=f"AT&T file {os.path.basename(path)}")


def _determinised_spec(acceptor: _Acceptor, alphabet: tuple[str, ...], name: str,
                       path: str) -> Spec:
    lib = LibDFA.from_nfa(_lib_nfa(acceptor, alphabet), minify=False)
    dfa = regex._from_lib(lib, alphabet, alphabet, name)
    epsilons = sum(1 for _, a, _ in acceptor.arcs if a is None)
    spec = dfa_.to_spec(dfa, path=path)
    return Spec(name=name, alphabet=alphabet, path=path, states=spec.states, start=spec.start,
                accepting=spec.accepting, transitions=spec.transitions,
                source=f"AT&T file {os.path.basename(path)}",
                description=f"determinised (subset construction) from a nondeterministic "
                            f"acceptor with {len(acceptor.states)} states and {epsilons} "
                            "epsilon arcs")


def _lib_nfa(acceptor: _Acceptor, alphabet: tuple[str, ...]) -> LibNFA:
    delta: dict[int, dict[str, set[int]]] = {q: {} for q in acceptor.states}
    for src, symbol, dst in acceptor.arcs:
        delta[src].setdefault("" if symbol is None else symbol, set()).add(dst)
    return LibNFA(states=set(acceptor.states), input_symbols=set(alphabet),
                  transitions=delta, initial_state=acceptor.start,
                  final_states=set(acceptor.finals))


# --------------------------------------------------------------------------------- writing
def dumps(dfa: DFA) -> tuple[str, str]:
    """A DFA as AT&T acceptor text and its symbol table (``STEM.syms``), both ending in newline.

    States are numbered 0, 1, … with the start first, so that the first line's source is the
    start; every arc of the complete DFA is written (the sink's included), as ``src dst symbol``
    lines; final states follow, one per line, unweighted. The table gives epsilon id 0 (named
    ``<eps>``, or ``<eps_1>``, … if that is a symbol) and the symbols ids 1, 2, … in alphabet
    order, so reading the pair back gives the same alphabet order.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> att, syms = dumps(zoo.parity())
    >>> print(att, end="")  # doctest: +NORMALIZE_WHITESPACE
    0	0	0
    0	1	1
    1	1	0
    1	0	1
    0
    >>> print(syms, end="")  # doctest: +NORMALIZE_WHITESPACE
    <eps>	0
    0	1
    1	2
    """
    order = [dfa.start, *(q for q in range(len(dfa.states)) if q != dfa.start)]
    number = {q: i for i, q in enumerate(order)}
    lines = [f"{number[q]}\t{number[t]}\t{dfa.alphabet[a]}"
             for q in order for a, t in enumerate(dfa.delta[q])]
    lines += [str(number[q]) for q in order if q in dfa.accepting]
    return "\n".join(lines) + "\n", _symbol_table(dfa.alphabet)


def _symbol_table(alphabet: Sequence[str]) -> str:
    epsilon, i = "<eps>", 0
    while epsilon in alphabet:
        i += 1
        epsilon = f"<eps_{i}>"
    rows = [f"{epsilon}\t0", *(f"{s}\t{k}" for k, s in enumerate(alphabet, start=1))]
    return "\n".join(rows) + "\n"


def write(dfa: DFA, path: str | os.PathLike[str]) -> tuple[str, str]:
    """Write ``dfa`` to ``path`` (AT&T) and its symbol table beside it, atomically; both paths."""
    from ssmproof import atomic

    where = os.fspath(path)
    if not is_att_path(where):
        raise SpecError(where, "", "not an AT&T file name", "end the name in .att or .fst.txt")
    att, syms = dumps(dfa)
    table = symbols_path(where)
    atomic.write_many({where: att, table: syms})
    return where, table
