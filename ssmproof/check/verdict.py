"""Judge one certificate against the files alone: confirm it, or name the first disagreement.

Dispatch is by the certificate's ``method`` (STYLE R8): ``prove`` is re-explored; any method
this checker does not know (``exhaustive``, ``random``, a future ``invariant``, ...) comes back
``not re-checked`` with the reason, never as confirmed. Exit codes: 0 confirmed, 1 disagreement,
2 bad input, 3 not re-checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ssmproof.check.explore import Found, Walk, explore, replay
from ssmproof.check.inputs import BadInput, read_document
from ssmproof.check.language import NotRegular, load_language
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
                max_configurations: int = DEFAULT_MAX_CONFIGURATIONS) -> Verdict:
    """Re-check the certificate at ``cert_path`` from the SSM file and the spec alone."""
    cert = read_document(cert_path, "certificate")
    ssm = read_document(ssm_path, "SSM file")
    return check_data(cert, ssm, spec, cert_path=cert_path, ssm_path=ssm_path,
                      max_configurations=max_configurations)


def check_data(cert: dict[str, Any], ssm: dict[str, Any], spec: str, *,
               cert_path: str = "<certificate>", ssm_path: str = "<ssm>",
               max_configurations: int = DEFAULT_MAX_CONFIGURATIONS) -> Verdict:
    """:func:`check_files` on already parsed JSON (the build calls it on texts in memory)."""
    t0 = time.perf_counter()
    method = cert.get("method")
    handler = _METHODS.get(method)  # type: ignore[arg-type]
    if handler is None:
        verdict = Verdict(NOT_RECHECKED, f"method {method!r} is not one this checker re-runs "
                          f"(it re-runs: {', '.join(_METHODS)})")
    else:
        verdict = handler(cert, ssm, spec, cert_path, ssm_path, max_configurations)
    verdict.seconds = time.perf_counter() - t0
    return verdict


def _setup(cert: dict[str, Any], ssm: dict[str, Any], spec: str, cert_path: str,
           ssm_path: str) -> Walk | Verdict:
    """Read everything the walk needs; a Verdict when a disagreement shows before any walk."""
    for key, kind in (("construction", str), ("language", str), ("mode", str),
                      ("format", str)):
        if not isinstance(cert.get(key), kind):
            raise BadInput(cert_path, key, "is missing or not a string", "give a certificate")
    if cert["mode"] not in ("recognize", "predict"):
        raise BadInput(cert_path, "mode", f"{cert['mode']!r} is not a mode", "fix the mode")
    arith = arithmetic(cert["format"])
    model = load_model(ssm_path, ssm, arith, cert["mode"])
    dfa = load_language(spec)
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
    claimed = _count(cert.get("configurations"), cert_path, "configurations")
    if claimed > max_configurations:
        return Verdict(NOT_RECHECKED, f"the certificate claims {claimed} configurations, more "
                       f"than the checker's bound {max_configurations} (--max-configurations)")
    try:
        walk = _setup(cert, ssm, spec, cert_path, ssm_path)
    except NotRegular as err:
        return Verdict(NOT_RECHECKED, f"{err}: no finite product the checker re-explores")
    if isinstance(walk, Verdict):
        return walk
    depth = None
    if holds is None:
        depth = _count(cert.get("max_length_checked"), cert_path, "max_length_checked")
    found = explore(walk, max_depth=depth, max_configurations=claimed)
    verdict = _JUDGES[holds](cert, walk, found)
    verdict.configurations, verdict.edges = found.configurations, found.edges
    verdict.depth = found.depth
    return verdict if verdict.status != CONFIRMED else _counts(cert, found, verdict)


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
    if not walk.predict:  # recognize: the closed walk met every reachable gate value
        mine = gate_class(walk.model.gates_seen)
        if cert.get("gate_class") != mine:
            return _disagree(f"gate_class mismatch: the certificate says "
                             f"{cert.get('gate_class')!r}, the reachable gate values make it "
                             f"{mine!r}")
        checked.append(f"gate_class {mine} recomputed from every reachable gate value")
    return Verdict(CONFIRMED, checked=checked)


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


_METHODS = {"prove": _prove}
