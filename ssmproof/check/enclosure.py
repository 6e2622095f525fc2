"""Rigorous rational bounds on Re and Im of Σ cₖ·ζₘᵏ, by integer arithmetic only.

Why: the checker must round an irrational weight part (cos/sin of 2πk/m) and decide the sign of
a real field element without trusting floats or another library's interval code. Everything is
an integer at scale 2^P with an explicit error bound (in units of 2^−P):

- π by Machin, π = 16·atan(1/5) − 4·atan(1/239): each series term is floored (error < 1) and the
  alternating tail is below the first omitted term (< 1): error ≤ terms + 1 per arctangent;
- θ = 2πt/m with t taken in (−m/2, m/2], so |θ| ≤ π: error ≤ E_π + 1;
- Taylor terms at the point θ* = Θ/2^P: Tₙ = ⌊Tₙ₋₁·Θ / (n·2^P)⌋, so the error eₙ obeys
  |eₙ| ≤ |eₙ₋₁|·|θ*|/n + 1 ≤ 5 for all n (|θ*| < 3.2: e₁ ≤ 1, e₂ ≤ 2.6, e₃ ≤ 3.8, then ≤ 5);
  stopping at N ≥ 8 with |T_N| ≤ 1 leaves a tail below 6·Σ(3.2/9)^j < 4;
- cos and sin are 1-Lipschitz, so moving from θ* to θ adds at most |θ* − θ|.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

__all__ = ["part_bounds", "trig_table"]


def _atan_inverse(x: int, p: int) -> tuple[int, int]:
    """(≈ 2^p·atan(1/x), error bound)."""
    total, k, power, sign = 0, 0, x, 1
    while True:
        term = (1 << p) // (power * (2 * k + 1))
        if term == 0:
            return total, k + 1
        total += sign * term
        k, power, sign = k + 1, power * x * x, -sign


@lru_cache(maxsize=None)
def _pi(p: int) -> tuple[int, int]:
    a, ea = _atan_inverse(5, p)
    b, eb = _atan_inverse(239, p)
    return 16 * a - 4 * b, 16 * ea + 4 * eb


def _cos_sin(theta: int, p: int) -> tuple[int, int, int]:
    """(cos, sin) of θ* = theta/2^p at scale 2^p, and their error bound (|θ*| < 3.2)."""
    terms, t, n = [1 << p], 1 << p, 1
    while True:
        t = (t * theta) // (n << p)
        terms.append(t)
        if n >= 8 and abs(t) <= 1:
            break
        n += 1
    cos = sum(v if k % 4 == 0 else -v for k, v in enumerate(terms) if k % 2 == 0)
    sin = sum(v if k % 4 == 1 else -v for k, v in enumerate(terms) if k % 2 == 1)
    return cos, sin, 5 * len(terms) + 4


@lru_cache(maxsize=256)
def trig_table(m: int, p: int) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """cos and sin of 2πk/m for k < m at scale 2^p, with one error bound for all of them."""
    pi, e_pi = _pi(p)
    cos, sin, err = [], [], 0
    for k in range(m):
        t = k - m if 2 * k > m else k
        c, s, e = _cos_sin((2 * t * pi) // m, p)
        cos.append(c)
        sin.append(s)
        err = max(err, e)
    return tuple(cos), tuple(sin), err + e_pi + 2


def part_bounds(m: int, num: tuple[int, ...], den: int, *, imag: bool, bits: int
                ) -> tuple[Fraction, Fraction]:
    """lo ≤ Re (or Im) of Σ num[k]·ζₘᵏ / den ≤ hi, the bounds about 2^−bits apart per unit."""
    cos, sin, err = trig_table(m, bits)
    table = sin if imag else cos
    centre = sum(c * v for c, v in zip(num, table))
    radius = err * sum(abs(c) for c in num)
    scale = den << bits
    return Fraction(centre - radius, scale), Fraction(centre + radius, scale)
