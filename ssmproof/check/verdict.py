"""Judge one certificate against the files alone: confirm it, or name the first disagreement.

Dispatch is by the certificate's ``method`` (STYLE R8): ``prove`` is re-explored, ``exhaustive``
and ``random`` re-walked, ``invariant`` re-checked locally, and the mixtures ``prove+...`` part
by part; any other method comes back ``not re-checked`` with the reason, never as confirmed.
Exit codes: 0 confirmed, 1 disagreement, 2 bad input, 3 not re-checked.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ssmproof.check import invariant as inv
from ssmproof.check import relation as relations
from ssmproof.check.explore import Found, Walk, explore, replay
from ssmproof.check.float32 import Float32Watch
from ssmproof.check.inputs import BadInput, read_document
from ssmproof.check.language import NotRegular, levels_dfa, load_language
from ssmproof.check.model import content_hash, gate_class, load_model
from ssmproof.check.numbers import arithmetic

__all__ = ["Verdict", "check_files", "check_data", "CONFIRMED", "DISAGREES", "NOT_RECHECKED",
           "DEFAULT_MAX_CONFIGURATIONS"]

CONFIRMED, DISAGREES, NOT_RECHECKED = "confirmed", "disagreement", "not re-checked"
EXIT = {CONFIRMED: 0, DISAGREES: 1, NOT_RECHECKED: 3}
DEFAULT_MAX_CONFIGURATIONS = 10**6


@dataclass
class Verdict:
    """The checker's answer; ``reason`` names the first disagreement or why nothing ran."""

    status: str
    reason: str = ""
    configurations: int | None = None
    edges: int | None = None
    depth: int | None = None
    seconds: float = 0.0
    checked: list[str] = field(default_factory=list)  # what was re-checked, in words

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "confirmed": self.status == CONFIRMED,
                "reason": self.reason or None, "configurations": self.configurations,
                "edges": self.edges, "depth": self.depth, "checked": self.checked,
                "seconds": round(self.seconds, 3)}

    def summary(self) -> str:
        if self.status == CONFIRMED:
            return f"confirmed: {'; '.join(self.checked)}"
        return f"{self.status}: {self.reason}"


def _disagree(reason: str) -> Verdict:
    return Verdict(DISAGREES, reason)


def _word(w: Any) -> str:
    return "[" + " ".join(w) + "]" if w else "ε"


def check_files(cert_path: str, ssm_path: str, spec: str, *,
                max_configurations: int = DEFAULT_MAX_CONFIGURATIONS,
                relation_path: str | None = None) -> Verdict:
    """Re-check the certificate at ``cert_path`` from the SSM file and the spec alone (and,
    for an ``invariant`` certificate, the relation file it rests on)."""
    cert = read_document(cert_path, "certificate")
    ssm = read_document(ssm_path, "SSM file")
    relation = read_document(relation_path, "relation") if relation_path else None
    return check_data(cert, ssm, spec, cert_path=cert_path, ssm_path=ssm_path,
                      max_configurations=max_configurations, relation=relation,
                      relation_path=relation_path or "<relation>")


def check_data(cert: dict[str, Any], ssm: dict[str, Any], spec: str, *,
               cert_path: str = "<certificate>", ssm_path: str = "<ssm>",
               max_configurations: int = DEFAULT_MAX_CONFIGURATIONS,
               relation: dict[str, Any] | None = None,
               relation_path: str = "<relation>") -> Verdict:
    """:func:`check_files` on already parsed JSON (the build calls it on texts in memory)."""
    t0 = time.perf_counter()
    method = cert.get("method")
    handler = _METHODS.get(method)  # type: ignore[arg-type]
    if handler is None:
        verdict = Verdict(NOT_RECHECKED, f"method {method!r} is not one this checker re-runs "
                          f"(it re-runs: {', '.join(_METHODS)})")
    elif method == "invariant":
        verdict = _invariant(cert, ssm, spec, cert_path, ssm_path, relation, relation_path)
    else:
        verdict = handler(cert, ssm, spec, cert_path, ssm_path, max_configurations)
    verdict.seconds = time.perf_counter() - t0
    return verdict


def _setup(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
           ssm_path: str, why: str, *, levels: tuple[int, int] | None = None
           ) -> Walk | Verdict:
    """Read everything the walk needs; a Verdict when a disagreement shows before any walk."""
    for key, kind in (("construction", str), ("language", str), ("mode", str),
                      ("format", str)):
        if not isinstance(cert.get(key), kind):
            raise BadInput(cert_path, key, "is missing or not a string", "give a certificate")
    if cert["mode"] not in ("recognize", "predict"):
        raise BadInput(cert_path, "mode", f"{cert['mode']!r} is not a mode", "fix the mode")
    arith = arithmetic(cert["format"])
    model = load_model(ssm_path, ssm, arith, cert["mode"])
    try:
        dfa = load_language(spec) if levels is None else levels_dfa(*levels)
    except NotRegular as err:
        return Verdict(NOT_RECHECKED, f"{err}: {why}")
    if set(dfa.alphabet) != set(model.alphabet):
        raise BadInput(ssm_path, "alphabet", f"{list(model.alphabet)} is not the language's "
                       f"{list(dfa.alphabet)}", "check the construction against its language")
    digest = content_hash(ssm)
    if digest != cert["construction"]:
        return _disagree(f"hash mismatch: the certificate is for {cert['construction']}, "
                         f"the SSM file hashes to {digest}")
    if cert["language"] != dfa.name:
        return _disagree(f"language mismatch: the certificate names '{cert['language']}', "
                         f"the spec defines '{dfa.name}'")
    return Walk(model, dfa, cert["mode"])


def _count(value: Any, path: str, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadInput(path, key, f"{value!r} is not a count", "give a prove certificate")
    return value


def _prove(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
           ssm_path: str, max_configurations: int) -> Verdict:
    """Re-explore the product and compare verdict, counterexample and counts."""
    holds = cert.get("holds")
    if holds not in (True, False, None):
        raise BadInput(cert_path, "holds", f"{holds!r} is not true, false or null",
                       "give a certificate")
    product = _product(cert, ssm, spec, cert_path, ssm_path, max_configurations)
    if isinstance(product, Verdict):
        return product
    claimed, walk = product
    depth = None
    if holds is None:
        depth = _count(cert.get("max_length_checked"), cert_path, "max_length_checked")
    block = cert.get("float32_accumulation")
    if holds is True and isinstance(block, dict) and block.get("checked") is True:
        walk.model.watch = Float32Watch()
    found = explore(walk, max_depth=depth, max_configurations=claimed)
    verdict = _JUDGES[holds](cert, walk, found)
    if verdict.status == CONFIRMED and isinstance(walk.model.watch, Float32Watch):
        verdict = _float32(block, walk.model.watch, verdict)
    verdict.configurations, verdict.edges = found.configurations, found.edges
    verdict.depth = found.depth
    return verdict if verdict.status != CONFIRMED else _counts(cert, found, verdict)


def _product(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
             ssm_path: str, max_configurations: int) -> tuple[int, Walk] | Verdict:
    """The claimed configuration count and the walk; not re-checked past the checker's bound."""
    claimed = _count(cert.get("configurations"), cert_path, "configurations")
    if claimed > max_configurations:
        return Verdict(NOT_RECHECKED, f"the certificate claims {claimed} configurations, more "
                       f"than the checker's bound {max_configurations} (--max-configurations)")
    walk = _setup(cert, ssm, spec, cert_path, ssm_path, "no finite product the checker re-explores")
    return walk if isinstance(walk, Verdict) else (claimed, walk)


def _failure_text(found: Found) -> str:
    what = f"overflow ({found.overflow})" if found.overflow else \
        (f"wrong prediction for {', '.join(sorted(found.wrong))}" if found.wrong else
         "wrong decision")
    return f"{_word(found.word)}: {what}"


def _judge_holds(cert: dict[str, Any], walk: Walk, found: Found) -> Verdict:
    if found.word is not None:
        return _disagree(f"a counterexample the certificate missed: {_failure_text(found)}")
    if cert.get("all_lengths") is not True:
        return _disagree("holds is true but all_lengths is not: a prove certificate that "
                         "holds must claim all lengths")
    if not found.closed:
        return _disagree(f"the exploration did not close ({found.stopped}) although the "
                         f"certificate claims {cert.get('configurations')} configurations")
    checked = ["holds for all lengths: the product closed with no error"]
    if walk.predict:  # recognize: the closed walk met every reachable gate value
        return Verdict(CONFIRMED, checked=checked)
    return _same_gate_class(cert, walk.model.gates_seen, "every reachable gate value", checked)


def _same_gate_class(cert: dict[str, Any], values: set[Any], source: str,
                     checked: list[str]) -> Verdict:
    """The certificate's ``gate_class`` against the class of ``values`` (what ``source`` says)."""
    mine = gate_class(values)
    if cert.get("gate_class") != mine:
        return _disagree(f"gate_class mismatch: the certificate says {cert.get('gate_class')!r}"
                         f", {source} make it {mine!r}")
    return Verdict(CONFIRMED, checked=[*checked, f"gate_class {mine} recomputed from {source}"])


def _judge_fails(cert: dict[str, Any], walk: Walk, found: Found) -> Verdict:
    word = cert.get("counterexample")
    if not isinstance(word, list) or not all(isinstance(s, str) for s in word):
        return _disagree("holds is false but the certificate gives no counterexample")
    if any(s not in walk.dfa.alphabet for s in word):
        return _disagree(f"the counterexample {_word(word)} uses symbols outside the alphabet")
    again = replay(walk, tuple(word))
    if again is None or again[0] != len(word):
        shown = "is right at every checked prefix" if again is None else \
            f"already fails at length {again[0]}"
        return _disagree(f"the counterexample {_word(word)} does not replay: the SSM {shown}")
    if found.word is None:
        return _disagree(f"the exploration finds no error, yet the certificate fails on "
                         f"{_word(word)}")
    if tuple(word) != found.word:
        return _disagree(f"not the shortest counterexample: the breadth-first walk meets "
                         f"{_failure_text(found)} before {_word(word)}")
    wrong = cert.get("wrong_symbol")
    if walk.predict and not found.overflow and wrong not in found.wrong:
        return _disagree(f"wrong_symbol {wrong!r} is not among the symbols predicted wrongly "
                         f"after {_word(word)}: {sorted(found.wrong)}")
    return Verdict(CONFIRMED, checked=[f"fails on {_word(word)} (replayed; shortest by the "
                                       "breadth-first walk)"])


def _judge_open(cert: dict[str, Any], walk: Walk, found: Found) -> Verdict:
    if found.word is not None:
        return _disagree(f"a counterexample within the claimed depth: {_failure_text(found)}")
    if found.closed:
        return _disagree(f"the exploration closes (depth {found.depth}) although the "
                         "certificate says it stopped")
    if found.depth != cert.get("max_length_checked"):
        return _disagree(f"the walk stopped at depth {found.depth} ({found.stopped}), not at "
                         f"the claimed {cert.get('max_length_checked')}")
    return Verdict(CONFIRMED, checked=[f"inconclusive as claimed: no error on any word up to "
                                       f"length {found.depth}, not closed there"])


def _float32(block: dict[str, Any], watch: Float32Watch, verdict: Verdict) -> Verdict:
    """Issue 15 (2): the certificate's float32-accumulation answer, recomputed on the walk."""
    mine = watch.word is None
    first = block.get("first_inexact") if isinstance(block.get("first_inexact"), dict) else {}
    if block.get("exact") is not mine or (not mine and first.get("word") != list(watch.word)):
        found = "every dot product is exact" if mine else \
            f"the first inexact dot product is computed on {_word(watch.word)}"
        return _disagree(f"float32_accumulation mismatch: the certificate says exact="
                         f"{block.get('exact')} (word {first.get('word')}), the walk finds "
                         f"that {found}")
    verdict.checked.append("float32 accumulation recomputed: " + (
        "every dot product exact" if mine else f"first inexact on {_word(watch.word)}"))
    return verdict


_JUDGES: dict[bool | None, Callable[[dict[str, Any], Walk, Found], Verdict]] = {
    True: _judge_holds, False: _judge_fails, None: _judge_open}


def _counts(cert: dict[str, Any], found: Found, verdict: Verdict) -> Verdict:
    for key in ("configurations", "edges"):
        if cert.get(key) != getattr(found, key):
            return _disagree(f"{key} count mismatch: the certificate says {cert.get(key)}, the "
                             f"re-exploration finds {getattr(found, key)}")
    verdict.checked += [f"{found.configurations} configurations and {found.edges} edges "
                        "recounted", "content hash recomputed"]
    return verdict


def _invariant(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
               ssm_path: str, relation: dict[str, Any] | None, relation_path: str) -> Verdict:
    """Re-check initiation, consecution and readout over the relation; compare the claim."""
    if relation is None:
        raise BadInput(cert_path, "method", "an invariant certificate rests on a relation",
                       "pass the relation file with --relation (ssmproof-relation/1 or /2)")
    if ssm.get("format") != "ssmproof-ssm/1":
        return Verdict(NOT_RECHECKED, _NOT_BOXED.get(ssm.get("format"), _NOT_BOXED[None]))
    version = relations.version(relation, relation_path)
    doc = _document(spec)
    levels = inv.dyck_levels(str(doc.get("language", "")) if doc else spec)
    q_only = relations.components(relation, relation_path) <= {"q"}
    if q_only and version == 1 and not (doc and "transitions" in doc):
        return Verdict(NOT_RECHECKED, "a relation over DFA state indices (ssmproof-relation/1)"
                       " is re-checked only against a spec written as a table (states as "
                       "written, the sink last): a zoo name's or a regex's state numbering is "
                       "the toolkit's own; ssmproof-relation/2 names states by words")
    if not q_only and levels is None:
        raise BadInput(relation_path, "groups", "names Dyck level components but the spec is "
                       "not dyck:K,H", "relate the spec's states as one component q")
    walk = _setup(cert, ssm, spec, cert_path, ssm_path, "no finite language state to relate",
                  levels=None if q_only else levels)
    if isinstance(walk, Verdict):
        return walk
    value = relations.as_written if version == 1 else \
        relations.state_value(walk.dfa, tuple(doc["states"]) if doc and "transitions" in doc
                              else None, relation_path) if q_only else \
        relations.levels_value(walk.dfa.alphabet, relation_path)
    rel = relations.read_relation(relation, relation_path, value)
    block = cert.get("invariant") if isinstance(cert.get("invariant"), dict) else {}
    if block.get("relation") != rel.name or block.get("group_sizes") != \
            [len(t) for t in rel.tuples]:
        return _disagree(f"the certificate's relation {block.get('relation')!r} (group sizes "
                         f"{block.get('group_sizes')}) is not the relation given: {rel.name!r}, "
                         f"{[len(t) for t in rel.tuples]}")
    counts = [block.get(k) for k in ("consecution_checks", "readout_checks", "local_checks")]
    if block.get("groups") != len(rel.coords) or not all(type(c) is int for c in counts) \
            or counts[0] + counts[1] != counts[2]:
        return _disagree(f"the certificate's invariant block does not add up: groups "
                         f"{block.get('groups')} for {len(rel.coords)} groups given, local checks "
                         f"{counts[2]} for {counts[0]} consecution + {counts[1]} readout")
    lang = inv.OneState(walk.dfa, walk.predict) if q_only else \
        inv.Levels(*levels, walk.dfa.alphabet, complete=not walk.predict)  # type: ignore[misc]
    word = cert.get("counterexample")
    out = inv.recheck(walk.model, lang, rel, predict=walk.predict, path=relation_path,
                      claimed=word if isinstance(word, list) and cert.get("holds") is False
                      and all(isinstance(x, str) for x in word) else None,
                      points=cert["format"].startswith("int:"))
    return _INVARIANT_JUDGES[cert.get("holds")](cert, out)  # type: ignore[index]


_NOT_BOXED = {  # why an invariant certificate of a file that is not ssmproof-ssm/1 is not re-run
    "ssmproof-ssm/2": "invariant certificates of complex models (ssmproof-ssm/2) are not "
    "re-checked: the checker's local step (check/boxes.py) orders weights and values, which "
    "complex ones lack, and takes no real part of a complex sum; no points-only step for "
    "complex values is written (and relation files hold rational values only)",
    None: "invariant certificates are re-checked for models with rational weights "
    "(ssmproof-ssm/1) only: smooth maps (ssmproof-ssm/3) have no step on boxes here"}


def _document(spec: str) -> dict[str, Any] | None:
    """The spec file's document; None for a zoo name."""
    return read_document(spec, "spec") if os.path.isfile(spec) else None


def _word_text(out: inv.Outcome) -> str:
    if out.word is None:
        return "no wrong word or state outside the relation within the search budget"
    what = "leaves the relation" if out.outside else \
        f"wrong for {', '.join(sorted(out.wrong)) or 'the decision'}"
    return f"after {_word(out.word)} the SSM {what}"


def _invariant_holds(cert: dict[str, Any], out: inv.Outcome) -> Verdict:
    if out.failure is not None:
        return _disagree(f"the relation is not inductive: {out.failure}; {_word_text(out)}")
    if cert.get("all_lengths") is not True:
        return _disagree("holds is true but all_lengths is not")
    return _same_gate_class(cert, out.gates, "every gate value of the relation's states", [
        "holds for all lengths by the relation", *out.checked, "content hash recomputed"])


def _invariant_fails(cert: dict[str, Any], out: inv.Outcome) -> Verdict:
    """A failure is confirmed by replaying the certificate's word: it need not be the shortest
    (a word leaving the relation is followed on to a wrong decision), but its last decision
    must be the first wrong one, and some local check must fail."""
    word = cert.get("counterexample")
    if out.failure is None:
        return _disagree(f"every local check passes, yet the certificate fails on "
                         f"{_word(word or [])}")
    if out.replayed is None or out.replayed[0] != len(word or []):
        shown = "is right at every prefix" if out.replayed is None else \
            f"is first wrong after {out.replayed[0]} symbols"
        return _disagree(f"the certificate's counterexample {_word(word or [])} does not "
                         f"replay: the SSM {shown}")
    wrong = cert.get("wrong_symbol")
    if wrong is not None and wrong not in out.replayed[1]:
        return _disagree(f"wrong_symbol {wrong!r} is not among the symbols predicted wrongly "
                         f"after {_word(word)}: {sorted(out.replayed[1])}")
    return Verdict(CONFIRMED, checked=[f"a local check fails ({out.failure}); "
                                       f"{_word_text(out)}; the counterexample {_word(word)} "
                                       f"replays: wrong for {', '.join(sorted(out.replayed[1]))}"])


def _invariant_open(cert: dict[str, Any], out: inv.Outcome) -> Verdict:
    if out.failure is None:
        return _disagree("every local check passes: the relation proves the claim, yet the "
                         "certificate says inconclusive")
    if out.word is not None and not out.outside:
        return _disagree(f"inconclusive, but {_word_text(out)}")
    return Verdict(CONFIRMED, checked=[f"inconclusive as claimed: {out.failure}; "
                                       f"{_word_text(out)}"])


_INVARIANT_JUDGES: dict[bool | None, Callable[[dict[str, Any], inv.Outcome], Verdict]] = {
    True: _invariant_holds, False: _invariant_fails, None: _invariant_open}

def _bounded(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
             ssm_path: str, max_configurations: int, *, gates: bool = True) -> Verdict:
    """``exhaustive N`` and ``random K L``: walk every word up to max(N, L), merging pairs.
    ``gates``: compare an exhaustive recognizer's gate_class (False when other checks ran too)."""
    method, holds = cert["method"], cert.get("holds")
    n = _count(cert.get("max_length_checked"), cert_path, "max_length_checked") \
        if "exhaustive" in method else 0
    length = _count(cert.get("random_max_length"), cert_path, "random_max_length") \
        if "random" in method else 0
    walk = _setup(cert, ssm, spec, cert_path, ssm_path, "the checker walks words through a "
                  "DFA only")
    if isinstance(walk, Verdict):  # a counter language's bounded fallback (holds null) too
        return walk
    if holds not in (True, False):
        raise BadInput(cert_path, "holds", f"{holds!r} is not true or false", "give a "
                       f"{method} certificate")
    word = cert.get("counterexample")
    if holds is False and not isinstance(word, list):
        return _disagree("holds is false but the certificate gives no counterexample")
    if holds is False and method == "exhaustive":  # the shortest, one past the lengths passed
        if n >= len(word):
            return _disagree(f"max_length_checked {n} claims every word up to it right, yet "
                             f"{_word(word)} fails")
        n, length = len(word), 0
    elif holds is False:  # a random word: only the exhaustive part's lengths are walked
        length = 0
    found = explore(walk, max_depth=max(n, length), max_configurations=max_configurations)
    if found.word is None and not found.closed and found.depth < max(n, length):
        return Verdict(NOT_RECHECKED, f"the walk up to length {max(n, length)} stopped at "
                       f"{found.depth} ({found.stopped})")
    if holds is False:  # exhaustive+random: the exhaustive part held, its count is checked
        return _judge_fails(cert, walk, found) if method == "exhaustive" else \
            _recount(cert, walk, n, _replays(cert, walk)) if found.word is None else \
            _disagree(f"a counterexample within the exhaustive length {n}: "
                      f"{_failure_text(found)}")
    if found.word is not None and len(found.word) <= n:
        return _disagree(f"a counterexample within the exhaustive length {n}: "
                         f"{_failure_text(found)}")
    if found.word is not None:
        return Verdict(NOT_RECHECKED, f"the random words are not in the certificate; walking "
                       f"every word up to length {length} finds {_failure_text(found)}, which "
                       "the sample may have missed")
    verdict = _recount(cert, walk, n, Verdict(CONFIRMED, checked=[
        f"no wrong decision on any word up to length {max(n, length)}" +
        (" (every word, so none of the random ones)" if length else "")]))
    if verdict.status == CONFIRMED and method == "exhaustive" and gates and not walk.predict:
        return _same_gate_class(cert, walk.model.gates_seen, "the gate values of every word up "
                                f"to length {n}", verdict.checked)  # the same words, same gates
    return verdict


def _recount(cert: dict[str, Any], walk: Walk, n: int, verdict: Verdict) -> Verdict:
    """An exhaustive part that held: its ``strings_checked`` against the words up to ``n``."""
    if not n or verdict.status != CONFIRMED:
        return verdict
    strings = sum(_strings(walk, n))
    if cert.get("strings_checked") != strings:
        return _disagree(f"strings_checked mismatch: the certificate says "
                         f"{cert.get('strings_checked')}, the words up to length {n} are "
                         f"{strings}")
    verdict.checked.append(f"{strings} strings up to length {n} recounted")
    return verdict


def _replays(cert: dict[str, Any], walk: Walk) -> Verdict:
    """A random failure need not be the shortest: its word must be wrong at its end only."""
    word = cert.get("counterexample")
    if not isinstance(word, list) or not all(s in walk.dfa.alphabet for s in word):
        return _disagree("holds is false but the counterexample is missing or uses symbols "
                         "outside the alphabet")
    again = replay(walk, tuple(word))
    if again is None or again[0] != len(word):
        return _disagree(f"the counterexample {_word(word)} does not replay")
    if walk.predict and cert.get("wrong_symbol") not in again[1] and again[2] is None:
        return _disagree(f"wrong_symbol {cert.get('wrong_symbol')!r} is not among "
                         f"{sorted(again[1])}")
    return Verdict(CONFIRMED, checked=[f"fails on {_word(word)} (replayed)"])


def _strings(walk: Walk, n: int) -> list[int]:
    """How many words of each length ≤ n the check covers (predict: prefixes of L only)."""
    return list(itertools.islice(_word_counts(walk), n + 1))


def _word_counts(walk: Walk) -> Iterator[int]:
    """The number of words of length 0, 1, 2, ... the check covers, counted in the DFA."""
    counts = {walk.dfa.start: 1} if walk.explored(walk.dfa.start) else {}
    while True:
        yield sum(counts.values())
        nxt: dict[int, int] = {}
        for q, c in counts.items():
            for r in walk.dfa.delta[q]:
                if walk.explored(r):
                    nxt[r] = nxt.get(r, 0) + c
        counts = nxt


def _length_for(walk: Walk, strings: int) -> int | None:
    """The least exhaustive length whose words number ``strings`` (None: no length does)."""
    total = 0
    for n, count in enumerate(_word_counts(walk)):
        total += count
        if total == strings:
            return n
        if total > strings or count == 0:  # past it, or no longer words: never equal
            return None
    return None  # pragma: no cover (the counts never end)


def _combined(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
              ssm_path: str, max_configurations: int) -> Verdict:
    """``prove+exhaustive``, ``prove+random``, ``prove+exhaustive+random``: verify ran the
    checks in that order, each only while none had failed, so a failure is the last part's
    and every earlier part held. Each part is re-checked as its own certificate; the whole is
    confirmed only when every part is, and a part not re-checked makes it not re-checked."""
    holds, rest = cert.get("holds"), cert["method"].removeprefix("prove+")
    if holds not in (True, False, None) or cert.get("all_lengths") is not (holds is True):
        return _disagree(f"holds {holds!r} with all_lengths {cert.get('all_lengths')!r}: a "
                         f"{cert['method']} certificate claims all lengths exactly when it holds")
    if holds is True:  # the proof closed: every word is right, so every word the others ran
        first = _prove({**cert, "method": "prove"}, ssm, spec, cert_path, ssm_path,
                       max_configurations)
        return _both(first, lambda: _implied(cert, ssm, spec, cert_path, ssm_path, rest),
                     rest)
    first = _prove_cut(cert, ssm, spec, cert_path, ssm_path, max_configurations, rest)
    return _both(first, lambda: _bounded(  # holds null: the other parts held
        {**cert, "method": rest, "holds": holds is None}, ssm, spec, cert_path, ssm_path,
        max_configurations, gates=False), rest)


def _both(first: Verdict, second: Callable[[], Verdict], rest: str) -> Verdict:
    """The prove part's verdict, then (when confirmed) the other parts'; reasons say which."""
    if first.status != CONFIRMED:
        first.reason = f"the prove part: {first.reason}"
        return first
    then = second()
    if then.status != CONFIRMED:
        then.reason = f"the {rest} part: {then.reason}"
        return then
    first.checked += then.checked
    return first


def _prove_cut(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
               ssm_path: str, max_configurations: int, rest: str) -> Verdict:
    """A prove part stopped by its budget: some depth of the walk must have exactly the claimed
    configurations and edges, no error and not close. (Its depth is written only when no
    exhaustive part ran; max_length_checked is the exhaustive length otherwise.)"""
    edges = _count(cert.get("edges"), cert_path, "edges")
    product = _product(cert, ssm, spec, cert_path, ssm_path, max_configurations)
    if isinstance(product, Verdict):
        return product
    claimed, walk = product
    found = explore(walk, max_configurations=claimed, max_edges=edges)
    if found.word is not None:
        return _disagree(f"the walk towards the claimed {claimed} configurations and {edges} "
                         f"edges meets {_failure_text(found)}")
    if found.closed:
        return _disagree(f"the exploration closes (depth {found.depth}) although the "
                         "certificate says the proof stopped")
    if (found.configurations, found.edges) != (claimed, edges):
        return _disagree(f"no depth has the claimed {claimed} configurations and {edges} edges: "
                         f"depth {found.depth} has {found.configurations} and {found.edges} "
                         f"({found.stopped})")
    if "exhaustive" not in rest and cert.get("max_length_checked") != found.depth:
        return _disagree(f"max_length_checked {cert.get('max_length_checked')} is not the depth "
                         f"{found.depth} at which the proof stopped")
    verdict = Verdict(CONFIRMED, checked=[f"the proof stopped as claimed: no error on any word "
                                          f"up to length {found.depth}, not closed there, "
                                          f"{claimed} configurations and {edges} edges "
                                          "recounted"])
    verdict.configurations, verdict.edges, verdict.depth = claimed, edges, found.depth
    return verdict


def _implied(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
             ssm_path: str, rest: str) -> Verdict:
    """After a closed proof every word is right, so are the words the other parts ran; what is
    left is that their counts describe a run: strings_checked, the words up to some length."""
    checked = []
    if "exhaustive" in rest:
        walk = _setup(cert, ssm, spec, cert_path, ssm_path, "")
        strings = _count(cert.get("strings_checked"), cert_path, "strings_checked")
        n = _length_for(walk, strings)  # type: ignore[arg-type]
        if n is None:
            return _disagree(f"strings_checked {strings} is not the number of words up to any "
                             "length")
        checked.append(f"exhaustive: {strings} strings, every word up to length {n}, right by "
                       "the proof")
    if "random" in rest:
        words = _count(cert.get("random_words"), cert_path, "random_words")
        length = _count(cert.get("random_max_length"), cert_path, "random_max_length")
        seed = cert.get("seed")
        if type(seed) is not int:
            raise BadInput(cert_path, "seed", f"{seed!r} is not an integer", "give the seed")
        checked.append(f"random: {words} words up to length {length} (seed {seed}), right by "
                       "the proof")
    return Verdict(CONFIRMED, checked=checked)


_METHODS: dict[str, Callable[..., Verdict]] = {
    "prove": _prove, "invariant": _invariant, "exhaustive": _bounded, "random": _bounded,
    "exhaustive+random": _bounded, "prove+exhaustive": _combined, "prove+random": _combined,
    "prove+exhaustive+random": _combined}
