"""The checker's own exact arithmetic in a cyclotomic field Q(ζₘ) (``ssmproof-ssm/2`` models).

Written apart from :mod:`ssmproof.numerics.cyclotomic` (no sympy, no mpmath): an element is an
integer coefficient vector on the power basis 1, ζ, …, ζ^(φ(m)−1) over one positive common
denominator, in lowest terms, reduced modulo Φₘ, which is computed here by exact integer
division (xᵐ − 1 = ∏_{d | m} Φ_d). So two elements are equal iff their vectors are, and
configurations hash and compare by value. The checker works in m = lcm(n, 4) for a file that
declares n, so that i = ζₘ^(m/4) lies in the field and Re x = (x + x̄)/2, Im x = −i(x − x̄)/2 are
elements again. A value whose irrational coordinates vanish collapses to ``int``/``Fraction``.

The sign of a real element (ReLU, the ``> 0`` decisions) is 0 by the coordinates, else read
from :mod:`ssmproof.check.enclosure`'s rigorous bounds, refined until they exclude 0.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

from ssmproof.check.enclosure import part_bounds

__all__ = ["Cyc", "phi_poly", "from_powers", "real_part", "imag_part", "is_real", "canonical"]

Rational = int | Fraction


@lru_cache(maxsize=None)
def phi_poly(n: int) -> tuple[int, ...]:
    """Φₙ's integer coefficients, constant first: (xⁿ − 1) divided by every Φ_d, d | n, d < n."""
    poly = [-1] + [0] * (n - 1) + [1]
    for d in range(1, n):
        if n % d == 0:
            poly = _divide_exactly(poly, phi_poly(d))
    return tuple(poly)


def _divide_exactly(num: list[int], monic: tuple[int, ...]) -> list[int]:
    num, k = list(num), len(monic) - 1
    quot = [0] * (len(num) - k)
    for top in range(len(num) - 1, k - 1, -1):
        c = num[top]
        quot[top - k] = c
        for j, p in enumerate(monic):
            num[top - k + j] -= c * p
    assert not any(num), "Φ_d does not divide xⁿ − 1"  # internal invariant, never input
    return quot


def _reduce(n: int, poly: list[int]) -> list[int]:
    """An integer polynomial in ζₙ reduced modulo Φₙ (monic), φ(n) coefficients."""
    phi = phi_poly(n)
    d = len(phi) - 1
    poly = poly + [0] * (d - len(poly))
    for top in range(len(poly) - 1, d - 1, -1):
        c = poly[top]
        if c:
            for j in range(d):
                poly[top - d + j] -= c * phi[j]
    return poly[:d]


def _make(m: int, poly: list[int], den: int) -> Rational | Cyc:
    """Σ poly[k]·ζₘᵏ / den, reduced, in lowest terms, collapsed when rational."""
    coeffs = _reduce(m, poly)
    g = math.gcd(den, *coeffs)
    if den < 0:
        g = -g
    if g != 1:
        coeffs, den = [c // g for c in coeffs], den // g
    if not any(coeffs[1:]):
        return coeffs[0] if den == 1 else Fraction(coeffs[0], den)
    return Cyc(m, tuple(coeffs), den)


def from_powers(n: int, m: int, powers: dict[int, Fraction]) -> Rational | Cyc:
    """Σ c·ζₙᵏ as an element of Q(ζₘ) (n divides m)."""
    den = math.lcm(*(c.denominator for c in powers.values())) if powers else 1
    poly = [0] * m
    for k, c in powers.items():
        poly[(k * (m // n)) % m] += c.numerator * (den // c.denominator)
    return _make(m, poly, den)


def canonical(n: int, powers: dict[int, Fraction]) -> Rational | dict[int, Fraction]:
    """The file's canonical form of Σ c·ζₙᵏ: a rational, or power-basis coordinates (k < φ(n))."""
    value = from_powers(n, n, powers)
    if not isinstance(value, Cyc):
        return value
    return {k: Fraction(c, value.den) for k, c in enumerate(value.num) if c}


def _parts(x: Rational) -> tuple[int, int]:
    return (x, 1) if isinstance(x, int) else (x.numerator, x.denominator)


class Cyc:
    """An irrational element of Q(ζₘ): ``Σ num[k]·ζₘᵏ / den`` (see the module docstring)."""

    __slots__ = ("m", "num", "den")

    def __init__(self, m: int, num: tuple[int, ...], den: int) -> None:
        self.m, self.num, self.den = m, num, den

    def _lift(self, other: object) -> tuple[list[int], int] | None:
        if isinstance(other, Cyc):
            return list(other.num), other.den
        if isinstance(other, (int, Fraction)):
            p, q = _parts(other)
            return [p] + [0] * (len(self.num) - 1), q
        return None

    def __add__(self, other: object) -> Rational | Cyc:
        o = self._lift(other)
        if o is None:
            return NotImplemented
        poly, den = o
        return _make(self.m, [a * den + b * self.den for a, b in zip(self.num, poly)],
                     self.den * den)

    __radd__ = __add__

    def __neg__(self) -> Cyc:
        return Cyc(self.m, tuple(-c for c in self.num), self.den)

    def __sub__(self, other: object) -> Rational | Cyc:
        return self + (-other)  # type: ignore[operator]

    def __rsub__(self, other: object) -> Rational | Cyc:
        return (-self) + other

    def __mul__(self, other: object) -> Rational | Cyc:
        if isinstance(other, (int, Fraction)):
            p, q = _parts(other)
            return _make(self.m, [c * p for c in self.num], self.den * q)
        if not isinstance(other, Cyc):
            return NotImplemented
        prod = [0] * (2 * len(self.num))
        for i, a in enumerate(self.num):
            if a:
                for j, b in enumerate(other.num):
                    prod[i + j] += a * b
        return _make(self.m, prod, self.den * other.den)

    __rmul__ = __mul__

    def conjugate(self) -> Rational | Cyc:
        poly = [0] * self.m
        for k, c in enumerate(self.num):
            poly[-k % self.m] += c
        return _make(self.m, poly, self.den)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cyc) and (self.m, self.num, self.den) == \
            (other.m, other.num, other.den)

    def __hash__(self) -> int:
        return hash((self.m, self.num, self.den))

    def sign(self) -> int:
        """−1, 0 or 1 of a real element (ValueError for a non-real one)."""
        if not is_real(self):
            raise ValueError(f"{self} is not real: it has no sign")
        bits = 64
        while True:
            lo, hi = part_bounds(self.m, self.num, self.den, imag=False, bits=bits)
            if lo > 0 or hi < 0:
                return 1 if lo > 0 else -1
            bits *= 2  # a nonzero element has a nonzero value: this ends

    def _cmp(self, other: object) -> int:
        diff = self - other  # type: ignore[operator]
        return diff.sign() if isinstance(diff, Cyc) else (diff > 0) - (diff < 0)

    def __gt__(self, other: object) -> bool:
        return self._cmp(other) > 0

    def __lt__(self, other: object) -> bool:
        return self._cmp(other) < 0

    def __ge__(self, other: object) -> bool:
        return self._cmp(other) >= 0

    def __le__(self, other: object) -> bool:
        return self._cmp(other) <= 0

    def __repr__(self) -> str:
        terms = " + ".join(f"{c}·ζ{self.m}^{k}" for k, c in enumerate(self.num) if c)
        return f"({terms})/{self.den}"


def is_real(x: object) -> bool:
    return not isinstance(x, Cyc) or x.conjugate() == x


def real_part(x: Rational | Cyc) -> Rational | Cyc:
    return (x + x.conjugate()) * Fraction(1, 2) if isinstance(x, Cyc) else x


def imag_part(x: Rational | Cyc) -> Rational | Cyc:
    """Im x = −i·(x − x̄)/2; needs 4 | m (the checker's fields always have it)."""
    if not isinstance(x, Cyc):
        return 0
    i = _make(x.m, [0] * (x.m // 4) + [1], 1)
    return (x - x.conjugate()) * i * Fraction(-1, 2)
