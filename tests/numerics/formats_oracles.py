"""Independent oracles and hypothesis strategies for the format tests.

Written without ``ssmproof.numerics``: exponents are found by comparing with powers of two
(not by bit lengths), candidates by scanning neighbours, ties by looking at the parity of the
candidate's multiple. A bug in the library kernels would have to be repeated here to go unseen.
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import strategies as st

TWO = Fraction(2)

# name: (precision incl. hidden bit, emin, emax), from IEEE 754-2019 Table 3.5 and bfloat16's spec
IEEE = {
    "float16": (11, -14, 15),
    "bfloat16": (8, -126, 127),
    "float32": (24, -126, 127),
    "float64": (53, -1022, 1023),
}


def floor_log2(a: Fraction) -> int:
    """The e with 2**e <= a < 2**(e+1), for a > 0, by estimate and correction."""
    e = math.floor(math.log2(a.numerator) - math.log2(a.denominator))
    while TWO**e > a:
        e -= 1
    while TWO ** (e + 1) <= a:
        e += 1
    return e


def nearest_float(x: Fraction, name: str) -> Fraction | None:
    """Round to nearest, ties to even, in IEEE format ``name``; None for an overflow to ±inf."""
    p, emin, emax = IEEE[name]
    if x == 0:
        return Fraction(0)
    a = abs(x)
    ulp = TWO ** (max(floor_log2(a), emin) - p + 1)
    k = math.floor(a / ulp)
    below, above = k * ulp, (k + 1) * ulp
    if a - below != above - a:
        r = below if a - below < above - a else above
    else:
        r = below if k % 2 == 0 else above
    if r > (2 - TWO ** (1 - p)) * TWO**emax:
        return None
    return r if x > 0 else -r


def is_float_value(r: Fraction, name: str) -> bool:
    """Whether r is a finite value of IEEE format ``name``."""
    p, emin, emax = IEEE[name]
    if r == 0:
        return True
    a = abs(r)
    if a > (2 - TWO ** (1 - p)) * TWO**emax:
        return False
    return (a / TWO ** (max(floor_log2(a), emin) - p + 1)).denominator == 1


def nearest_fixed(x: Fraction, int_bits: int, frac_bits: int) -> Fraction:
    """Brute force: the nearest of a handful of grid neighbours (even multiple on ties), clamped."""
    step = Fraction(1, 2**frac_bits)
    c = math.floor(x / step)
    candidates = [(c + d) * step for d in range(-2, 4)]
    best = min(candidates, key=lambda v: (abs(v - x), (v / step) % 2))
    return min(max(best, Fraction(-(2 ** (int_bits - 1)))), 2 ** (int_bits - 1) - step)


def wrap(x: int, bits: int) -> int:
    """Two's complement reading of x mod 2**bits, by repeated adding/subtracting of 2**bits."""
    x %= 2**bits
    return x - 2**bits if x >= 2 ** (bits - 1) else x


# --- strategies ----------------------------------------------------------------------------


def scaled_fractions(lo_exp: int, hi_exp: int) -> st.SearchStrategy[Fraction]:
    """Fractions n/d * 2**e with big n, d and e in [lo_exp, hi_exp]: all magnitudes, any sign."""
    return st.builds(
        lambda n, d, e: Fraction(n, d) * TWO**e,
        st.integers(-(2**64), 2**64),
        st.integers(1, 2**64),
        st.integers(lo_exp, hi_exp),
    )


def near_ties(lo_exp: int, hi_exp: int, kmax: int) -> st.SearchStrategy[Fraction]:
    """(2k+1) * 2**(q-1) (a midpoint of the grid of step 2**q), nudged by 0 or ±2**(q-1-j)."""
    nudge = st.one_of(
        st.just(Fraction(0)),
        st.builds(lambda s, j: s * TWO ** (-j), st.sampled_from([-1, 1]), st.integers(1, 70)),
    )
    return st.builds(
        lambda k, q, u: ((2 * k + 1) + u) * TWO ** (q - 1),
        st.integers(-kmax, kmax),
        st.integers(lo_exp, hi_exp),
        nudge,
    )


def values_for(fmt_name: str) -> st.SearchStrategy[Fraction]:
    """Exact values that exercise ``fmt_name``: its whole range, beyond it, and near its ties."""
    if fmt_name in IEEE:
        p, emin, emax = IEEE[fmt_name]
        return st.one_of(
            scaled_fractions(emin - p - 4, emax + 2),
            near_ties(emin - p + 1, emax - p + 2, 2**p),
            st.fractions(max_denominator=1000),
        )
    if fmt_name.startswith("fixed:"):
        int_bits, frac_bits = (int(v) for v in fmt_name[6:].split("."))
        return st.one_of(
            scaled_fractions(-frac_bits - 4, int_bits + 2),
            near_ties(-frac_bits, -frac_bits, 2 ** (int_bits + frac_bits)),
            st.fractions(max_denominator=1000),
        )
    if fmt_name.startswith("int:"):
        bits = int(fmt_name[4:])
        return st.integers(-(2 ** (bits + 2)), 2 ** (bits + 2)).map(Fraction)
    return st.one_of(scaled_fractions(-80, 80), st.fractions())


def float64_values() -> st.SearchStrategy[float]:
    """Finite float64s of every magnitude, with extra weight on values near 16-bit ties."""
    return st.one_of(
        st.floats(allow_nan=False, allow_infinity=False),
        st.floats(min_value=-70000.0, max_value=70000.0, allow_nan=False),
        st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False),
        near_ties(-160, 130, 2**9).map(float).filter(math.isfinite),
        near_ties(-30, 6, 2**12).map(float),
    )
