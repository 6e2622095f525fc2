"""PARITY with a nonnegative gate under wrap-around integers: the format caveat made concrete.

Under ``int:P`` (arithmetic modulo 2^P, DESIGN §3) a counter with gate 1 that adds 2^(P−1) on
every ``1`` holds 0 after an even number of 1s and 2^(P−1) ≡ −2^(P−1) (two's complement) after an
odd number: the sum wraps. The readout ``1 + h > 0`` is then exactly "even number of 1s". Every
gate is 1 — as nonnegative as a gate can be — and every weight is an integer, as ``int:P``
requires; ``verify --prove --format int:P`` closes with 2 configurations.

The impossibility argument does not contradict this: it needs rounding to be *monotone*
(x ≤ y ⇒ rnd(x) ≤ rnd(y)), and wrap-around is not (2^(P−1) − 1 < 2^(P−1), but the second wraps to
−2^(P−1)). ``refute`` therefore declines this construction under ``int:P`` with that reason, and
refutes it in every monotone format: already on the word ``1`` (accepted, 1 + 128 > 0), which
``refute`` tries first. The argument itself (``scan=0``) needs a finite format here: in exact
arithmetic the counter just grows, and in bfloat16 it stops once its spacing exceeds twice the
increment.
This is the caveat Nowak et al. (2026) point out; see ``docs/impossibility.md``.
"""

from __future__ import annotations

from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok

__all__ = ["parity_wraparound"]


def parity_wraparound(bits: int = 8) -> SSM:
    """PARITY (even number of 1s over {0, 1}) with gate 1 everywhere, correct under ``int:bits``.

    Parameters
    ----------
    bits : int
        The word width P of the ``int:P`` format the construction is meant for (P ≥ 2).

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> from ssmproof.numerics.formats import parse
    >>> m = Machine(parity_wraparound(8), parse("int:8"))
    >>> [m.accepts(w) for w in ["", "1", "11", "101", "0100", "1" * 255]]
    [True, False, True, True, False, False]
    >>> Machine(parity_wraparound(8)).accepts("1")  # exact arithmetic: h = 128 does not wrap
    True

    References
    ----------
    Sarrof, Veitsman & Hahn 2024 (arXiv 2405.17394v2), Theorem 2 and its finite-precision
    assumption; Nowak et al. 2026 on wrap-around arithmetic.
    """
    if bits < 2:
        raise ValueError("int:P needs P >= 2 bits for this construction")
    alphabet = ("0", "1")
    half = 1 << (bits - 1)
    counter = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: 1}},
                    input={"L1.h": {tok("1"): half}}, export=("L1.h",))
    return SSM(f"parity_wraparound_int{bits}", Mode.RECOGNIZE, alphabet,
               default_embedding(alphabet), (counter,), accept={ONE: 1, "L1.h": 1},
               metadata={"format": f"int:{bits}",
                         "note": "correct only under wrap-around int arithmetic"})
