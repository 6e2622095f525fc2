"""A fixed set of known-true and known-false claims: the verdict oracle of ``mutation.py``.

Each claim is (construction, language, how it is checked) with the verdict a correct verifier
gives, known independently of ssmproof's verifier (hand-written models whose answers are fixed
by their definition; see ``tests/verify`` for the same facts as tests). Run as a script it prints
one JSON object: ``{"claims": {name: holds}, "module": <where ssmproof was imported from>}``;
``holds`` is true, false, null (inconclusive) or the name of the exception raised.

A mutant *flips a verdict* when a true claim comes out false or a false claim comes out true.

Run: ``python benchmarks/mutation_claims.py``
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import ssmproof
from ssmproof import examples
from ssmproof.lang.api import load
from ssmproof.lang.automaton import DFA
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding
from ssmproof.verify.api import verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.rounding import readouts_that_round  # noqa: E402  (r/3 - 1/6: values that round)

# (a|b)*a and (a|b)*aa(a|b)* as DFAs written out by hand
ENDS_A = DFA(("a", "b"), ("no", "yes"), 0, frozenset({1}), ((1, 0), (1, 0)), "ends_a")
CONTAINS_AA = DFA(("a", "b"), ("0", "1", "2"), 0, frozenset({2}), ((1, 0), (2, 0), (2, 2)),
                  "contains_aa")


def _t1_predictor(alphabet: tuple[str, ...], *, opposite: bool) -> SSM:
    yes, no = {ONE: 1}, {}
    nxt = {"0": yes if opposite else no, "1": no if opposite else yes, "EOS": {ONE: 1}}
    return SSM("t1", Mode.PREDICT, alphabet, default_embedding(alphabet), (), next=nxt)


def _flipped_latch() -> SSM:
    """contains_aa with the latch's gate sign flipped: wrong on "a a b" (forgets)."""
    ssm = examples.contains_aa()
    layer = ssm.layers[0]
    return replace(ssm, layers=(replace(layer, gate={"L1.seen": {ONE: 0, "L1.both": 1}}),))


def _junk_counter() -> SSM:
    """last_is_a plus an unread channel adding 40000 per b: float16 overflows on "b b"."""
    ssm = examples.last_is_a()
    layer = ssm.layers[0]
    junk = replace(layer, state=("L1.last_a", "L1.junk"),
                   gate={**layer.gate, "L1.junk": {ONE: 1}},
                   input={**layer.input, "L1.junk": {"tok:b": 40000}})
    return replace(ssm, layers=(junk,))


def claims() -> dict[str, tuple[bool, object]]:
    """name -> (the right verdict, a thunk returning the certificate)."""
    parity, tomita1, dyck12 = load("parity"), load("tomita:1"), load("dyck:1,2")
    return {
        "parity_signed/parity/exact/prove": (
            True, lambda: verify(examples.parity_signed(), parity, prove=True)),
        "parity_signed/parity/fixed:8.4/prove": (
            True, lambda: verify(readouts_that_round(examples.parity_signed()), parity, fmt="fixed:8.4",
                                 prove=True)),
        "parity_signed/tomita1/exact/prove": (
            False, lambda: verify(examples.parity_signed(), tomita1, prove=True)),
        "contains_aa/contains_aa/bfloat16/prove": (
            True, lambda: verify(readouts_that_round(examples.contains_aa()), CONTAINS_AA, fmt="bfloat16",
                                 prove=True)),
        "contains_aa/contains_aa/exact/exhaustive6": (
            True, lambda: verify(examples.contains_aa(), CONTAINS_AA, exhaustive=6)),
        "contains_aa_swapped/contains_aa/exact/random": (
            True, lambda: verify(replace(examples.contains_aa(), alphabet=("b", "a")),
                                 CONTAINS_AA, random=40, max_length=12)),
        "last_is_a/contains_aa/exact/prove": (
            False, lambda: verify(examples.last_is_a(), CONTAINS_AA, prove=True)),
        "last_is_a/ends_a/float32/prove": (
            True, lambda: verify(readouts_that_round(examples.last_is_a()), ENDS_A, fmt="float32",
                                 prove=True)),
        "flipped_latch/contains_aa/exact/exhaustive5": (
            False, lambda: verify(_flipped_latch(), CONTAINS_AA, exhaustive=5)),
        "flipped_latch/contains_aa/bfloat16/random": (
            False, lambda: verify(_flipped_latch(), CONTAINS_AA, fmt="bfloat16", random=60,
                                  max_length=10)),
        "junk_counter/ends_a/float16/prove": (
            False, lambda: verify(_junk_counter(), ENDS_A, fmt="float16", prove=True)),
        "kth_last_4/kth_last_4_is_wrong_for_ends_a/exact/prove": (
            False, lambda: verify(examples.kth_last_is_a(4), ENDS_A, prove=True)),
        "dyck1_predictor_2/dyck:1,2/exact/prove": (
            True, lambda: verify(examples.dyck1_predictor(2), dyck12, prove=True)),
        "dyck1_bounded_2/dyck:1,2/bfloat16/prove": (
            True, lambda: verify(examples.dyck1_bounded(2), dyck12, fmt="bfloat16", prove=True)),
        "dyck1_bounded_2/dyck:1,2/fixed:6.0/prove": (
            True, lambda: verify(examples.dyck1_bounded(2), dyck12, fmt="fixed:6.0",
                                 prove=True)),
        "t1_predictor_reordered/tomita1/exact/prove": (
            True, lambda: verify(_t1_predictor(("1", "0"), opposite=False), tomita1,
                                 prove=True)),
        "t1_predictor_opposite_reordered/tomita1/exact/prove": (
            False, lambda: verify(_t1_predictor(("1", "0"), opposite=True), tomita1,
                                  prove=True)),
        "t1_predictor_opposite/tomita1/exact/exhaustive6": (
            False, lambda: verify(_t1_predictor(("0", "1"), opposite=True), tomita1,
                                  exhaustive=6)),
    }


def run() -> dict[str, object]:
    out: dict[str, object] = {}
    for name, (_, thunk) in claims().items():
        try:
            out[name] = thunk().holds
        except Exception as err:  # a mutant may crash anywhere: that is a verdict too
            out[name] = type(err).__name__
    return out


def expected() -> dict[str, bool]:
    return {name: want for name, (want, _) in claims().items()}


if __name__ == "__main__":
    print(json.dumps({"claims": run(), "module": ssmproof.__file__}))
