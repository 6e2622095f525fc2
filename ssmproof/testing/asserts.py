"""Assertions for a construction of one's own: fail with the shortest counterexample, readably.

Each helper takes a construction (an :class:`~ssmproof.ssm.program.SSM` or the path of its JSON)
and a language (a :class:`~ssmproof.lang.automaton.Language`, a spec object, a spec path or a zoo
name) and raises :class:`AssertionError` when the construction is wrong:

- :func:`assert_recognizes` / :func:`assert_predicts` run two phases. First an *exhaustive
  pre-check* of every word up to ``exhaustive_upto`` symbols (:func:`ssmproof.verify.api.verify`
  walks them breadth-first, alphabet order), so any counterexample that short is reported as
  *the* shortest one — hypothesis' shrinking alone does not promise that. Then hypothesis draws
  words up to ``max_length`` from :mod:`ssmproof.testing.strategies` (members, near-miss
  non-members and uniform words) and checks every prefix of each; a failure it finds is shrunk,
  and, when the alphabet is small enough, re-checked exhaustively up to its length so that the
  reported word is again the shortest.
- :func:`assert_proves` runs the all-length proof (breadth-first search over the construction's
  configurations × the language's states); it fails with the shortest counterexample, or because
  no proof exists (a non-regular language) or the configuration budget ran out.

The message says what the construction answered and what the language says; in predictive mode
it lists, position by position, the symbols each allows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import Language, Word, allowed_next, states_along
from ssmproof.numerics.formats import Format, parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import EOS, SSM, Mode
from ssmproof.testing import strategies
from ssmproof.ssm.validate import check_same_alphabet
from ssmproof.testing._inputs import LanguageLike, SSMLike, as_language, as_ssm
from ssmproof.verify.api import first_failure, verify
from ssmproof.verify.certificate import Certificate
from ssmproof.verify.oracle import decision_order

__all__ = ["assert_recognizes", "assert_predicts", "assert_proves", "PropertyReport",
           "DEFAULT_EXHAUSTIVE", "REFINE_BUDGET"]

DEFAULT_EXHAUSTIVE = 6
"""Exhaustive pre-check length: 2^6 + ... = 127 binary words, 5,461 over four symbols."""
REFINE_BUDGET = 200_000
"""A failure found by hypothesis is re-checked exhaustively up to its length when the number of
words that long (``k ** length``) is at most this, so that the shortest one is reported."""


@dataclass(frozen=True)
class PropertyReport:
    """What a passing :func:`assert_recognizes` / :func:`assert_predicts` covered.

    ``precheck`` is the exhaustive certificate (every word up to ``exhaustive_upto``);
    ``examples`` counts hypothesis' words, of which ``members`` were in the language, and
    ``longest`` is the longest of them. Nothing is claimed about words not covered.
    """

    precheck: Certificate
    examples: int
    members: int
    longest: int
    max_length: int

    def summary(self) -> str:
        return (f"{self.precheck.summary()}; then {self.examples} hypothesis words up to length "
                f"{self.max_length} ({self.members} in the language, longest {self.longest})")


@dataclass(frozen=True)
class _Failure:
    word: Word  # the shortest failing prefix of the word that was run
    non_finite: str | None = None
    shortest: bool = True  # no shorter counterexample exists (an exhaustive search said so)


class _Found(Exception):
    def __init__(self, failure: _Failure) -> None:
        super().__init__(" ".join(failure.word))
        self.failure = failure


# ------------------------------------------------------------------------------ public API
def assert_recognizes(ssm: SSMLike, language: LanguageLike, *, format: str | Format = "exact",
                      max_length: int = strategies.DEFAULT_MAX_LENGTH,
                      exhaustive_upto: int = DEFAULT_EXHAUSTIVE, examples: int | None = None,
                      seed: int | None = 0) -> PropertyReport:
    """Assert that ``ssm`` accepts exactly the words of ``language`` (bounded check).

    Parameters
    ----------
    ssm : SSM or path
        The construction, or its JSON file (validated on load).
    language : Language, Spec, path or zoo name
        What it should recognize (``"parity"``, ``"dyck:2,3"``, ``"my_spec.json"``, ...).
    format : str or Format
        Arithmetic the construction runs in (``exact``, ``fixed:16.8``, ``bfloat16``, ...).
    max_length : int
        Longest word hypothesis draws.
    exhaustive_upto : int
        Every word up to this length is checked first; a counterexample there is the shortest.
    examples : int or None
        Hypothesis examples (None: the active hypothesis profile's ``max_examples``).
    seed : int or None
        Hypothesis seed, for reproducible runs; None lets hypothesis choose.

    Returns
    -------
    PropertyReport
        What was covered (the check says nothing about words it did not run).

    Raises
    ------
    AssertionError
        With the shortest counterexample found, what the construction said and what the
        language says.
    SsmproofError
        Bad input: an unreadable file, an unknown zoo name, different alphabets.

    Notes
    -----
    Call it from a plain test function, not from inside a ``@given`` test: it runs hypothesis
    itself. For a proof at every length use :func:`assert_proves`.

    Examples
    --------
    >>> from ssmproof import examples
    >>> from ssmproof.lang.automaton import DFA
    >>> ends_a = DFA(("a", "b"), ("no", "yes"), 0, frozenset({1}), ((1, 0), (1, 0)), "ends_a")
    >>> assert_recognizes(examples.last_is_a(), ends_a, examples=20).precheck.holds
    True
    >>> contains_aa = DFA(("a", "b"), ("0", "1", "2"), 0, frozenset({2}),
    ...                   ((1, 0), (2, 0), (2, 2)), "contains_aa")
    >>> assert_recognizes(examples.last_is_a(), contains_aa, examples=20)
    Traceback (most recent call last):
    ...
    AssertionError: 'last_is_a' does not recognize 'contains_aa' (format exact).
    Shortest counterexample: [a] (length 1; every word up to length 6 was checked first)
      the construction accepts it; the language rejects it.
    """
    return _bounded(ssm, language, Mode.RECOGNIZE, format, max_length, exhaustive_upto,
                    examples, seed)


def assert_predicts(ssm: SSMLike, language: LanguageLike, *, format: str | Format = "exact",
                    max_length: int = strategies.DEFAULT_MAX_LENGTH,
                    exhaustive_upto: int = DEFAULT_EXHAUSTIVE, examples: int | None = None,
                    seed: int | None = 0) -> PropertyReport:
    """Assert that ``ssm`` predictively models ``language`` (bounded check; DESIGN §2).

    On every prefix of a word of the language, the symbols the construction predicts allowed
    (``next`` readouts > 0) must be exactly those that keep the prefix a prefix of a word of L,
    and EOS must be predicted exactly when the prefix is in L. Parameters, return value and the
    two phases are those of :func:`assert_recognizes`; a failure lists, position by position,
    what the language allows and what the construction predicts.

    Raises :class:`~ssmproof.errors.SsmproofError` for a construction without ``next`` readouts.

    Examples
    --------
    >>> from ssmproof import examples
    >>> assert_predicts(examples.dyck1_predictor(2), "dyck:1,2", examples=20).precheck.holds
    True
    >>> assert_predicts(examples.dyck1_bounded(2), "dyck:1,2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.SsmproofError: dyck1_depth2: mode: ... has no 'next' readouts; ...
    """
    return _bounded(ssm, language, Mode.PREDICT, format, max_length, exhaustive_upto,
                    examples, seed)


def assert_proves(ssm: SSMLike, language: LanguageLike, *, format: str | Format = "exact",
                  mode: Mode | str | None = None, max_configurations: int = 10**5
                  ) -> Certificate:
    """Assert that ``ssm`` is correct for ``language`` at every length, by the all-length proof.

    Runs :func:`ssmproof.verify.api.verify` with ``prove=True``: a breadth-first search over
    pairs (construction configuration, language state). When it closes, every length is covered;
    a failure is the shortest counterexample (ties broken in the alphabet's order).

    Parameters
    ----------
    ssm, language, format
        As for :func:`assert_recognizes`.
    mode : "recognize", "predict" or None
        None: the construction's own mode.
    max_configurations : int
        Budget of distinct configurations; running out fails the assertion (nothing proved).

    Returns
    -------
    Certificate
        The proof's certificate (``all_lengths`` true, ``configurations`` counted).

    Raises
    ------
    AssertionError
        A counterexample (the shortest), or no proof: the language is not regular (use
        :func:`assert_recognizes`), the configuration budget ran out, or a value overflowed.

    Examples
    --------
    >>> from ssmproof import examples
    >>> assert_proves(examples.parity_signed(), "parity").configurations
    2
    >>> assert_proves(examples.parity_signed(), "tomita:1")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    AssertionError: 'parity_signed' does not recognize 'tomita1' (format exact).
    Shortest counterexample: [0] (length 1; all-length proof by breadth-first search)
      the construction accepts it; the language rejects it.
    """
    model, lang, names = _prepare(ssm, language)
    chosen = Mode(mode) if mode is not None else Mode(model.mode)
    _check_mode(model, chosen)
    if not lang.regular:
        raise AssertionError(f"{names[1]} is not regular: no all-length proof exists for "
                             f"{names[0]}; check it on bounded lengths with "
                             f"assert_{'predicts' if chosen is Mode.PREDICT else 'recognizes'}")
    cert = verify(model, lang, fmt=format, mode=chosen, prove=True,
                  max_configurations=max_configurations)
    if cert.holds is False:
        failure = _Failure(tuple(cert.counterexample or ()), _non_finite(cert))
        raise AssertionError(_message(names, model, lang, chosen, _fmt(format), failure,
                                      "all-length proof by breadth-first search"))
    if not cert.all_lengths:
        reason = "; ".join(cert.notes) or "the proof did not close"
        raise AssertionError(f"{names[0]} could not be proved correct for {names[1]} at "
                             f"every length (format {_fmt(format)}): {reason}. "
                             f"Checked: {cert.summary()}")
    return cert


# ---------------------------------------------------------------------------------- phases
def _prepare(ssm: SSMLike, language: LanguageLike) -> tuple[SSM, Language, tuple[str, str]]:
    """The construction, the language, and how messages name them (see :func:`_names`)."""
    lang = as_language(language)
    model = as_ssm(ssm)
    check_same_alphabet(model, lang.alphabet, lang.name, model.name)
    return model, lang, _names(ssm, model, language, lang)


def _names(ssm: SSMLike, model: SSM, language: LanguageLike, lang: Language) -> tuple[str, str]:
    """``'name'`` each; when the two read alike (a construction named after its language),
    ``'name' (file)`` for what came from a file, or else which is which."""
    if model.name != lang.name:
        return f"'{model.name}'", f"'{lang.name}'"
    names = (_name(ssm, model.name), _name(language, lang.name))
    if names[0] == names[1]:
        return f"the construction {names[0]}", f"the language {names[1]}"
    return names


def _name(given: object, name: str) -> str:
    path = os.fspath(given) if isinstance(given, (str, os.PathLike)) else ""
    return f"'{name}' ({path})" if path and os.path.isfile(path) else f"'{name}'"


def _check_mode(ssm: SSM, mode: Mode) -> None:
    if mode is Mode.PREDICT and Mode(ssm.mode) is not Mode.PREDICT:
        raise SsmproofError(f"{ssm.name}: mode: the construction is a recognizer and has no "
                            "'next' readouts; test it with assert_recognizes, or add a 'next' "
                            "readout per symbol and EOS (mode 'predict')")


def _fmt(format: str | Format) -> str:
    return str(parse(format) if isinstance(format, str) else format)


def _bounded(ssm: SSMLike, language: LanguageLike, mode: Mode, format: str | Format,
             max_length: int, exhaustive_upto: int, examples: int | None, seed: int | None
             ) -> PropertyReport:
    model, lang, names = _prepare(ssm, language)
    _check_mode(model, mode)
    fmt = parse(format) if isinstance(format, str) else format
    if exhaustive_upto < 0 or max_length < 0:
        raise SsmproofError(f"exhaustive_upto={exhaustive_upto}, max_length={max_length}: "
                            "give whole numbers >= 0")
    pre = verify(model, lang, fmt=fmt, mode=mode, exhaustive=exhaustive_upto)
    if pre.holds is False:
        failure = _Failure(tuple(pre.counterexample or ()), _non_finite(pre))
        raise AssertionError(_message(names, model, lang, mode, str(fmt), failure,
                                      f"every word up to length {exhaustive_upto} was checked "
                                      "first"))
    stats = _Stats()
    found = _hypothesis_phase(Machine(model, fmt), lang, mode, max_length, examples, seed, stats)
    if found is not None:
        failure, how = _refine(model, lang, mode, fmt, found, exhaustive_upto)
        raise AssertionError(_message(names, model, lang, mode, str(fmt), failure, how))
    return PropertyReport(pre, stats.examples, stats.members, stats.longest, max_length)


@dataclass
class _Stats:
    """Counts kept while hypothesis runs (mutable on purpose: the test body updates them)."""

    examples: int = 0
    members: int = 0
    longest: int = 0


def _word_strategy(lang: Language, max_length: int) -> st.SearchStrategy[Word]:
    """Members, non-members and uniform words; a side the language lacks is left out."""
    sides = (_side(strategies.words_in, lang, max_length),
             _side(strategies.words_not_in, lang, max_length))
    return st.one_of([s for s in sides if s is not None]
                     + [strategies.words(lang.alphabet, max_size=max_length)])


def _side(make: Callable[[Language, int], st.SearchStrategy[Word]], lang: Language,
          max_length: int) -> st.SearchStrategy[Word] | None:
    try:
        return make(lang, max_length)
    except SsmproofError:  # no member (or no non-member) that short: nothing to draw there
        return None


def _hypothesis_phase(machine: Machine, lang: Language, mode: Mode, max_length: int,
                      examples: int | None, seed: int | None, stats: _Stats) -> _Failure | None:
    count = examples if examples is not None else settings().max_examples
    config = settings(max_examples=count, deadline=None, database=None,
                      verbosity=Verbosity.quiet,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

    @config
    @given(_word_strategy(lang, max_length))
    def every_prefix_is_right(word: Word) -> None:
        stats.examples += 1
        stats.members += _in_language(lang, word)
        stats.longest = max(stats.longest, len(word))
        failure = first_failure(machine, lang, mode, word)
        if failure is not None:
            raise _Found(_Failure(tuple(failure.counterexample or ()), failure.non_finite))

    test = hypothesis_seed(seed)(every_prefix_is_right) if seed is not None else \
        every_prefix_is_right
    try:
        test()
    except _Found as found:
        return found.failure
    return None


def _refine(ssm: SSM, lang: Language, mode: Mode, fmt: Format, found: _Failure,
            exhaustive_upto: int) -> tuple[_Failure, str]:
    """Re-check exhaustively up to the failure's length, when affordable, for the shortest."""
    n = len(found.word)
    if len(lang.alphabet) ** n <= REFINE_BUDGET:
        cert = verify(ssm, lang, fmt=fmt, mode=mode, exhaustive=n)
        if cert.holds is False:
            return (_Failure(tuple(cert.counterexample or ()), _non_finite(cert)),
                    f"found by hypothesis, then every word up to length {n} was checked")
    return (dataclasses.replace(found, shortest=False),
            f"found by hypothesis and shrunk; no counterexample of length <= {exhaustive_upto} "
            "exists, a shorter one than this may")


def _non_finite(cert: Certificate) -> str | None:
    hits = [f for f in cert.findings if f.startswith("non_finite")]
    return hits[0] if hits and cert.expected is None else None


# -------------------------------------------------------------------------------- messages
_VERB = {Mode.RECOGNIZE: "recognize", Mode.PREDICT: "predictively model"}


def _message(names: tuple[str, str], ssm: SSM, lang: Language, mode: Mode, fmt: str,
             failure: _Failure, how: str) -> str:
    word = failure.word
    shown = " ".join(word) if word else "ε (the empty word)"
    what = "Shortest counterexample" if failure.shortest else "Counterexample"
    if mode is Mode.PREDICT:
        what += " (a prefix of L)"
    lines = [f"{names[0]} does not {_VERB[mode]} {names[1]} (format {fmt}).",
             f"{what}: [{shown}] (length {len(word)}; {how})"]
    if failure.non_finite is not None:
        lines.append(f"  the simulation left the format: {failure.non_finite}")
        return "\n".join(lines)
    decisions = Machine(ssm, parse(fmt)).decisions(word)
    states = states_along(lang, word)
    if mode is Mode.RECOGNIZE:
        said = "accepts" if decisions[-1][-1] else "rejects"
        truth = "accepts" if lang.accepts_state(states[-1]) else "rejects"
        lines.append(f"  the construction {said} it; the language {truth} it.")
    else:
        order = decision_order(Machine(ssm), lang, mode)
        lines += _prediction_table(lang, word, states,
                                   [tuple(d[i] for i in order) for d in decisions])
    return "\n".join(lines)


def _prediction_table(lang: Language, word: Word, states: Sequence[Hashable],
                      decisions: Sequence[tuple[bool, ...]]) -> list[str]:
    symbols = (*lang.alphabet, EOS)
    rows = [("after", "language allows", "construction allows")]
    wrong = ""
    for t in range(len(word) + 1):
        want = allowed_next(lang, states[t])
        got = decisions[t]
        rows.append((" ".join(("BOS", *word[:t])), _allowed(symbols, want),
                     _allowed(symbols, got)))
        if want != got:
            wrong = next(s for s, a, b in zip(symbols, want, got) if a != b)
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    out = [f"  {r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}" for r in rows]
    out[-1] += f"   <- wrong for {wrong}"
    return out


def _allowed(symbols: Sequence[str], flags: Sequence[bool]) -> str:
    return " ".join(s for s, f in zip(symbols, flags) if f) or "(nothing)"


def _in_language(lang: Language, word: Word) -> bool:
    return bool(lang.accepts_state(states_along(lang, word)[-1]))
