"""The :class:`Spec` value: what a validated language spec holds, and the rules it obeys.

A spec names a language in one of three ways (DESIGN §1): an explicit deterministic table
(``transitions`` with ``states``, ``start``, ``accepting``), a ``regex`` over ``alphabet``, or the
``language`` name of a zoo language. Building a :class:`Spec` runs one named check per rule
(``_check_*``), each raising :class:`~ssmproof.errors.SpecError` with the file, the field and the
fix. Stated limits: at most :data:`MAX_STATES` states, :data:`MAX_SYMBOLS` symbols,
:data:`MAX_REGEX_CHARS` regex characters and :data:`MAX_FILE_BYTES` bytes per file.

This module knows nothing of files, zoo names or automata, so that the modules which build
languages (:mod:`~ssmproof.lang.dfa`, :mod:`~ssmproof.lang.zoo`, :mod:`~ssmproof.lang.att`) can
use the type; :mod:`ssmproof.lang.spec` reads files and names into it and joins it to them.

Examples
--------
>>> s = Spec(name="one", alphabet=("a",), states=("p", "q"), start="p", accepting=("q",),
...          transitions=(("p", "a", "q"),), path="one.json")
>>> s.kind.value
'transitions'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ssmproof.errors import SpecError
from ssmproof.wordenum import WordEnum

__all__ = [
    "Spec",
    "SpecKind",
    "RESERVED_SYMBOLS",
    "MAX_STATES",
    "MAX_SYMBOLS",
    "MAX_REGEX_CHARS",
    "MAX_FILE_BYTES",
    "DEFINITIONS",
    "TABLE_FIELDS",
    "MISSING_FIX",
]

RESERVED_SYMBOLS = frozenset({"BOS", "EOS"})
MAX_STATES = 100_000
MAX_SYMBOLS = 1_000
MAX_REGEX_CHARS = 100_000
MAX_FILE_BYTES = 32 * 1024 * 1024

DEFINITIONS = ("transitions", "regex", "language")
TABLE_FIELDS = ("states", "start", "accepting")


class SpecKind(WordEnum):
    """How a spec defines its language: the name of the field that carries the definition."""

    TABLE = "transitions"
    REGEX = "regex"
    NAMED = "language"


@dataclass(frozen=True, slots=True)
class Spec:
    """A validated language spec (an address, not yet an automaton).

    ``transitions`` holds ``(state, symbol, target)`` triples in file order; ``path`` is the file
    (or zoo name) used in every message. Exactly one of ``transitions``/``regex``/``language``
    defines the language (``transitions`` may be empty when ``states`` is given: every symbol
    then goes to the sink). Construction runs every semantic check.

    Examples
    --------
    >>> s = Spec(name="one", alphabet=("a",), states=("p", "q"), start="p", accepting=("q",),
    ...          transitions=(("p", "a", "q"),), path="one.json")
    >>> s.kind.value, s.table()
    ('transitions', {'p': {'a': 'q'}, 'q': {}})
    """

    name: str
    alphabet: tuple[str, ...]
    description: str = ""
    source: str = ""
    path: str = "<spec>"
    states: tuple[str, ...] = ()
    start: str | None = None
    accepting: tuple[str, ...] = ()
    transitions: tuple[tuple[str, str, str], ...] = ()
    regex: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        for check in _SEMANTIC_CHECKS:
            check(self)

    @property
    def kind(self) -> SpecKind:
        """Which field defines the language."""
        if self.regex is not None:
            return SpecKind.REGEX
        if self.language is not None:
            return SpecKind.NAMED
        return SpecKind.TABLE

    def table(self) -> dict[str, dict[str, str]]:
        """The transitions as ``{state: {symbol: target}}`` (every state present, maybe empty)."""
        out: dict[str, dict[str, str]] = {q: {} for q in self.states}
        for q, a, t in self.transitions:
            out[q][a] = t
        return out


MISSING_FIX = {
    # the fix for each required field that is missing (the file reader uses it too)
    "name": 'add "name": "<short identifier>"',
    "alphabet": 'add "alphabet": a list of symbols, e.g. ["0", "1"]',
    "states": 'add "states": the list of state names',
    "start": 'add "start": the name of the start state',
    "accepting": 'add "accepting": a list of state names (may be empty)',
}


# --------------------------------------------------------------------------------------------
# Semantic checks: run by Spec.__post_init__ (one rule each)
# --------------------------------------------------------------------------------------------


def _check_name(spec: Spec) -> None:
    if not spec.name.strip():
        raise SpecError(spec.path, "name", "the name is empty",
                        'give a short identifier, e.g. "tomita3"')


def _check_alphabet_nonempty(spec: Spec) -> None:
    if not spec.alphabet:
        raise SpecError(spec.path, "alphabet", "the alphabet is empty",
                        'list at least one symbol, e.g. "alphabet": ["0", "1"]')


def _check_alphabet_size(spec: Spec) -> None:
    if len(spec.alphabet) > MAX_SYMBOLS:
        raise SpecError(spec.path, "alphabet", f"{len(spec.alphabet):,} symbols, above the "
                        f"stated limit of {MAX_SYMBOLS:,}", "use at most 1,000 symbols")


def _check_symbol_text(spec: Spec) -> None:
    for i, a in enumerate(spec.alphabet):
        field = f"alphabet[{i}]"
        if a == "":
            raise SpecError(spec.path, field, "the symbol is the empty string",
                            "symbols are non-empty strings; remove it")
        if any(c.isspace() for c in a):
            raise SpecError(spec.path, field, f"symbol {a!r} contains whitespace",
                            "remove the whitespace (words are written with spaces between "
                            "symbols)")
        if a in RESERVED_SYMBOLS:
            raise SpecError(spec.path, field, f"symbol '{a}' is reserved (BOS and EOS mark "
                            "the ends of a word)", "rename it, e.g. to 'bos_' or 'eos_'")


def _check_symbols_unique(spec: Spec) -> None:
    _check_unique(spec.alphabet, spec.path, "alphabet", "symbol")


def _check_states_unique(spec: Spec) -> None:
    _check_unique(spec.states, spec.path, "states", "state")
    for i, q in enumerate(spec.states):
        if not q:
            raise SpecError(spec.path, f"states[{i}]", "the state name is empty",
                            "give every state a non-empty name")


def _check_unique(items: tuple[str, ...], path: str, field: str, what: str) -> None:
    first: dict[str, int] = {}
    for i, x in enumerate(items):
        if x in first:
            raise SpecError(path, f"{field}[{i}]", f"duplicate {what} '{x}' (also "
                            f"{field}[{first[x]}])", f"list each {what} once")
        first[x] = i


def _check_state_count(spec: Spec) -> None:
    if len(spec.states) > MAX_STATES:
        raise SpecError(spec.path, "states", f"{len(spec.states):,} states, above the stated "
                        f"limit of {MAX_STATES:,}", "minimize the automaton, or use a regex")


def _check_definition_fields(spec: Spec) -> None:
    given = [f for f in DEFINITIONS if f != "transitions" and getattr(spec, f) is not None]
    if spec.transitions or spec.states:
        given.insert(0, "transitions")
    if len(given) > 1:
        raise SpecError(spec.path, given[1], f"both '{given[0]}' and '{given[1]}' define the "
                        "language", "keep exactly one of transitions, regex, language")
    if not given:
        raise SpecError(spec.path, "transitions", "missing: the spec does not define a language",
                        "add 'transitions' (with states, start, accepting), 'regex' or 'language'")


def _check_start_known(spec: Spec) -> None:
    if spec.kind is not SpecKind.TABLE:
        return
    if spec.start is None:
        raise SpecError(spec.path, "start", "missing required field", MISSING_FIX["start"])
    if spec.start not in spec.states:
        raise SpecError(spec.path, "start", _unknown("state", spec.start, spec.states),
                        "add it to `states` or pick one of them")


def _check_accepting_known(spec: Spec) -> None:
    _check_unique(spec.accepting, spec.path, "accepting", "state")
    for i, q in enumerate(spec.accepting):
        if q not in spec.states:
            raise SpecError(spec.path, f"accepting[{i}]", _unknown("state", q, spec.states),
                            "add it to `states` or remove it from `accepting`")


def _check_transition_sources(spec: Spec) -> None:
    known = set(spec.states)
    for q, _a, _t in spec.transitions:
        if q not in known:
            raise SpecError(spec.path, f"transitions.{q}", _unknown("state", q, spec.states),
                            "add it to `states` or remove its row")


def _check_transition_symbols(spec: Spec) -> None:
    known = set(spec.alphabet)
    for q, a, _t in spec.transitions:
        if a not in known:
            raise SpecError(spec.path, f"transitions.{q}", _unknown("symbol", a, spec.alphabet),
                            "add it to `alphabet` or remove the edge")


def _check_transition_targets(spec: Spec) -> None:
    known = set(spec.states)
    for q, a, t in spec.transitions:
        if t not in known:
            raise SpecError(spec.path, f"transitions.{q}.{a}", _unknown("state", t, spec.states),
                            "add it to `states` or point the edge at a listed state")


def _check_deterministic(spec: Spec) -> None:
    seen: dict[tuple[str, str], str] = {}
    for q, a, t in spec.transitions:
        if (q, a) in seen and seen[q, a] != t:
            raise SpecError(spec.path, f"transitions.{q}.{a}", f"two targets ['{seen[q, a]}', "
                            f"'{t}']: a DFA has exactly one target per state and symbol",
                            "keep one target (merge the states, or use a regex)")
        seen[q, a] = t


def _check_regex_readable(spec: Spec) -> None:
    if spec.regex is not None:
        from ssmproof.lang import regex  # keeps start-up light: automata-lib + networkx (0.5 s)

        regex.parse(spec.regex, spec.alphabet, path=spec.path)


def _unknown(what: str, name: str, known: tuple[str, ...]) -> str:
    shown = list(known) if len(known) <= 12 else [*known[:12], "..."]
    return f"{what} '{name}' is not in {'alphabet' if what == 'symbol' else 'states'} {shown}"


_SEMANTIC_CHECKS: tuple[Callable[[Spec], None], ...] = (
    _check_name,
    _check_alphabet_nonempty,
    _check_alphabet_size,
    _check_symbol_text,
    _check_symbols_unique,
    _check_definition_fields,
    _check_state_count,
    _check_states_unique,
    _check_start_known,
    _check_accepting_known,
    _check_transition_sources,
    _check_transition_symbols,
    _check_transition_targets,
    _check_deterministic,
    _check_regex_readable,
)
