"""Exact numbers of a cyclotomic field Q(ζₙ), ζₙ = e^{2πi/n}: the values of complex gates.

A complex diagonal gate that counts modulo p is a p-th root of unity (Grazzi et al. 2025;
Shakerinava et al.); its value is irrational, so no rational weight holds it. Q(ζₙ) holds every
n-th root of unity and is closed under +, −, ×, ÷ and complex conjugation, so a model whose
weights lie in it can be simulated — and its configurations compared — *exactly*.

An element is stored as rational coordinates on the power basis 1, ζ, …, ζ^(φ(n)−1), reduced
by the n-th cyclotomic polynomial Φₙ (monic, integer): two elements are equal iff their
coordinates are, so configurations hash and compare by value. Arithmetic whose result is
rational returns a plain ``int``/``Fraction``, so rational models run exactly as before and a
rational value is never a :class:`Cyclotomic`.

Order (``<``, ``>``; what ReLU and the ``> 0`` readout test need) is defined for *real*
elements only: the sign is read from a rigorous interval enclosure (mpmath's interval
arithmetic) at rising precision until the interval excludes 0 — a non-zero element has a
non-zero value, so this ends; zero is decided exactly by the coordinates.

Why our own small class: sympy's ``AlgebraicField`` elements are slow (a field element per
operation goes through its polynomial domain machinery) and python-flint would be a compiled
dependency for a handful of operations; the fields here have degree φ(n) ≤ 24, where plain
``Fraction`` polynomial arithmetic is fast enough and easy to audit.

Examples
--------
>>> z = Cyclotomic.zeta(3)
>>> z * z * z
1
>>> z + z * z  # 1 + ζ + ζ² = 0
-1
>>> z.real  # Re ζ₃ = −1/2, rational again
Fraction(-1, 2)
>>> w = Cyclotomic.zeta(5)
>>> c = w.real
>>> c > 0, c < Fraction(1, 3)  # cos(2π/5) ≈ 0.309
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache

__all__ = ["Cyclotomic", "MAX_ORDER", "is_complex", "is_real", "real_part", "interval",
           "as_field", "order_of"]

MAX_ORDER = 360
"""The largest n a file may declare (φ(n) ≤ 96): larger fields are refused, not slowly run."""

Number = "int | Fraction | Cyclotomic"


@lru_cache(maxsize=None)
def _phi_poly(n: int) -> tuple[int, ...]:
    """Coefficients of Φₙ, constant term first (monic: the last is 1)."""
    import sympy

    x = sympy.Symbol("x")
    coeffs = sympy.Poly(sympy.cyclotomic_poly(n, x), x).all_coeffs()
    return tuple(int(c) for c in reversed(coeffs))


def _degree(n: int) -> int:
    return len(_phi_poly(n)) - 1


def _reduce(n: int, poly: list[Fraction]) -> tuple[Fraction, ...]:
    """A polynomial in ζ (constant first) reduced modulo Φₙ: φ(n) coordinates."""
    phi = _phi_poly(n)
    d = len(phi) - 1
    poly = list(poly)
    for top in range(len(poly) - 1, d - 1, -1):
        c = poly[top]
        if c:
            poly[top] = Fraction(0)
            for j in range(d):
                if phi[j]:
                    poly[top - d + j] -= c * phi[j]
    poly += [Fraction(0)] * (d - len(poly))
    return tuple(poly[:d])


def _collapse(n: int, coords: tuple[Fraction, ...]) -> int | Fraction | Cyclotomic:
    if any(coords[1:]):
        return Cyclotomic(n, coords, _checked=True)
    c = coords[0]
    return c.numerator if c.denominator == 1 else c


class Cyclotomic:
    """An element of Q(ζₙ), immutable and hashable; see the module docstring."""

    __slots__ = ("n", "coords", "_sign")

    def __init__(self, n: int, coords: tuple[Fraction, ...], *, _checked: bool = False) -> None:
        if not _checked:
            if not 1 <= n <= MAX_ORDER:
                raise ValueError(f"cyclotomic order {n} outside 1..{MAX_ORDER}")
            coords = _reduce(n, [Fraction(c) for c in coords])
        self.n = n
        self.coords = coords
        self._sign: int | None = None

    # --- construction ------------------------------------------------------------------------
    @staticmethod
    def zeta(n: int, k: int = 1) -> int | Fraction | Cyclotomic:
        """ζₙᵏ (a rational when it is ±1)."""
        return Cyclotomic.from_powers(n, {k % n: 1})

    @staticmethod
    def from_powers(n: int, powers: Mapping[int, int | Fraction]) -> int | Fraction | Cyclotomic:
        """Σ cₖ ζₙᵏ for any integer exponents k (reduced; rational results collapse)."""
        if not 1 <= n <= MAX_ORDER:
            raise ValueError(f"cyclotomic order {n} outside 1..{MAX_ORDER}")
        poly = [Fraction(0)] * n
        for k, c in powers.items():
            poly[k % n] += Fraction(c)
        return _collapse(n, _reduce(n, poly))

    def powers(self) -> dict[int, Fraction]:
        """The nonzero coordinates, exponent → coefficient (the canonical file form)."""
        return {k: c for k, c in enumerate(self.coords) if c}

    def lift(self, m: int) -> Cyclotomic:
        """The same number as an element of Q(ζₘ) (n must divide m)."""
        if m == self.n:
            return self
        if m % self.n:
            raise ValueError(f"Q(ζ{self.n}) is not inside Q(ζ{m})")
        step = m // self.n
        poly = [Fraction(0)] * m
        for k, c in enumerate(self.coords):
            poly[k * step] += c
        return Cyclotomic(m, _reduce(m, poly), _checked=True)

    # --- arithmetic --------------------------------------------------------------------------
    def _pair(self, other: object) -> tuple[int, tuple[Fraction, ...], tuple[Fraction, ...]] | None:
        if isinstance(other, Cyclotomic):
            if other.n == self.n:
                return self.n, self.coords, other.coords
            m = math.lcm(self.n, other.n)
            return m, self.lift(m).coords, other.lift(m).coords
        if isinstance(other, (int, Fraction)):
            d = _degree(self.n)
            return self.n, self.coords, (Fraction(other),) + (Fraction(0),) * (d - 1)
        return None

    def __add__(self, other: object) -> int | Fraction | Cyclotomic:
        p = self._pair(other)
        if p is None:
            return NotImplemented
        n, a, b = p
        return _collapse(n, tuple(x + y for x, y in zip(a, b)))

    __radd__ = __add__

    def __neg__(self) -> Cyclotomic:
        return Cyclotomic(self.n, tuple(-c for c in self.coords), _checked=True)

    def __sub__(self, other: object) -> int | Fraction | Cyclotomic:
        p = self._pair(other)
        if p is None:
            return NotImplemented
        n, a, b = p
        return _collapse(n, tuple(x - y for x, y in zip(a, b)))

    def __rsub__(self, other: object) -> int | Fraction | Cyclotomic:
        return (-self) + other

    def __mul__(self, other: object) -> int | Fraction | Cyclotomic:
        if isinstance(other, (int, Fraction)):
            if other == 0:
                return 0
            return Cyclotomic(self.n, tuple(c * other for c in self.coords), _checked=True)
        p = self._pair(other)
        if p is None:
            return NotImplemented
        n, a, b = p
        prod = [Fraction(0)] * (len(a) + len(b) - 1)
        for i, x in enumerate(a):
            if x:
                for j, y in enumerate(b):
                    if y:
                        prod[i + j] += x * y
        return _collapse(n, _reduce(n, prod))

    __rmul__ = __mul__

    def inverse(self) -> Cyclotomic:
        """1/x, by solving x·y = 1 over the power basis (Gauss–Jordan on Fractions)."""
        d = len(self.coords)
        cols = []
        for j in range(d):
            basis = [Fraction(0)] * d
            basis[j] = Fraction(1)
            prod = self * Cyclotomic(self.n, tuple(basis), _checked=True) if j else self
            cols.append(_coords_of(prod, self.n, d))
        rows = [[cols[j][i] for j in range(d)] + [Fraction(int(i == 0))] for i in range(d)]
        y = _solve(rows)
        out = _collapse(self.n, tuple(y))
        assert isinstance(out, Cyclotomic)
        return out

    def __truediv__(self, other: object) -> int | Fraction | Cyclotomic:
        if isinstance(other, (int, Fraction)):
            return self * (1 / Fraction(other))
        if isinstance(other, Cyclotomic):
            return self * other.inverse()
        return NotImplemented

    def __rtruediv__(self, other: object) -> int | Fraction | Cyclotomic:
        return self.inverse() * other

    def conjugate(self) -> int | Fraction | Cyclotomic:
        """The complex conjugate: ζᵏ ↦ ζ⁻ᵏ."""
        return Cyclotomic.from_powers(self.n, {-k: c for k, c in self.powers().items()})

    @property
    def real(self) -> int | Fraction | Cyclotomic:
        """Re x = (x + x̄)/2, again an element of Q(ζₙ) (real)."""
        return (self + self.conjugate()) * Fraction(1, 2)

    @property
    def is_real(self) -> bool:
        return self == self.conjugate()

    def abs2(self) -> int | Fraction | Cyclotomic:
        """|x|² = x·x̄ (real, exact)."""
        return self * self.conjugate()

    # --- comparison --------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Cyclotomic):
            if other.n == self.n:
                return self.coords == other.coords
            m = math.lcm(self.n, other.n)
            return self.lift(m).coords == other.lift(m).coords
        if isinstance(other, (int, Fraction)):
            return False  # a Cyclotomic is never rational (rational results collapse)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.n, self.coords))

    def sign(self) -> int:
        """−1, 0 or 1 for a real element (``ValueError`` for a non-real one)."""
        if self._sign is None:
            if not self.is_real:
                raise ValueError(f"{self} is not real: it has no sign")
            self._sign = _sign_of(self)
        return self._sign

    def _cmp(self, other: object) -> int:
        diff = self if isinstance(other, int) and other == 0 else self - other  # type: ignore
        if isinstance(diff, Cyclotomic):
            return diff.sign()
        return (diff > 0) - (diff < 0)

    def __lt__(self, other: object) -> bool:
        return self._cmp(other) < 0

    def __le__(self, other: object) -> bool:
        return self._cmp(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self._cmp(other) > 0

    def __ge__(self, other: object) -> bool:
        return self._cmp(other) >= 0

    # --- display -----------------------------------------------------------------------------
    def __complex__(self) -> complex:
        return sum((float(c) * complex(math.cos(2 * math.pi * k / self.n),
                                       math.sin(2 * math.pi * k / self.n))
                    for k, c in enumerate(self.coords)), 0j)

    def __float__(self) -> float:
        if not self.is_real:
            raise TypeError(f"{self} is not real")
        return complex(self).real

    def __repr__(self) -> str:
        return f"Cyclotomic({self.n}, {self})"

    def __str__(self) -> str:
        terms = []
        for k, c in self.powers().items():
            z = "" if k == 0 else (f"ζ{self.n}" if k == 1 else f"ζ{self.n}^{k}")
            if not z:
                terms.append(str(c))
            elif c == 1:
                terms.append(z)
            elif c == -1:
                terms.append("-" + z)
            else:
                terms.append(f"{c}·{z}")
        return " + ".join(terms).replace("+ -", "- ")


def _coords_of(x: object, n: int, d: int) -> list[Fraction]:
    if isinstance(x, Cyclotomic):
        return list(x.lift(n).coords)
    return [Fraction(x)] + [Fraction(0)] * (d - 1)  # type: ignore[arg-type]


def _solve(rows: list[list[Fraction]]) -> list[Fraction]:
    d = len(rows)
    for col in range(d):
        pivot = next(r for r in range(col, d) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        rows[col] = [v / p for v in rows[col]]
        for r in range(d):
            if r != col and rows[r][col]:
                f = rows[r][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[col])]
    return [rows[i][d] for i in range(d)]


# --- rigorous enclosures -----------------------------------------------------------------------
def _mpf_fraction(t: tuple[int, int, int, int]) -> Fraction:
    """An mpmath raw float (sign, mantissa, exponent, bits) as an exact Fraction."""
    sign, man, exp, _ = t
    v = Fraction(man) * (Fraction(2) ** exp)
    return -v if sign else v


def interval(x: int | Fraction | Cyclotomic, *, imag: bool = False, bits: int = 64
             ) -> tuple[Fraction, Fraction]:
    """Rational bounds lo ≤ (Re x or Im x) ≤ hi, from mpmath's interval arithmetic at ``bits``."""
    if not isinstance(x, Cyclotomic):
        v = Fraction(0) if imag else Fraction(x)
        return v, v
    from mpmath import iv

    old = iv.prec
    iv.prec = bits
    try:
        total = iv.mpf(0)
        for k, c in x.powers().items():
            angle = 2 * iv.pi * k / x.n
            part = iv.sin(angle) if imag else iv.cos(angle)
            total += part * iv.mpf(c.numerator) / c.denominator
        lo, hi = total._mpi_
    finally:
        iv.prec = old
    return _mpf_fraction(lo), _mpf_fraction(hi)


_SIGNS: dict[tuple[int, tuple[Fraction, ...]], int] = {}


def _sign_of(x: Cyclotomic) -> int:
    """Float screen first (its error is far below 10⁻⁹ of Σ|cₖ| for φ(n) ≤ 96 terms), then
    rigorous intervals when the float value is too close to 0 to trust."""
    key = (x.n, x.coords)
    found = _SIGNS.get(key)
    if found is None:
        found = _SIGNS[key] = _sign_uncached(x)
        if len(_SIGNS) > 1_000_000:
            _SIGNS.clear()
    return found


def _sign_uncached(x: Cyclotomic) -> int:
    try:
        scale = sum(abs(float(c)) for c in x.coords)
        value = sum(float(c) * math.cos(2 * math.pi * k / x.n) for k, c in enumerate(x.coords))
        if abs(value) > 1e-9 * scale and math.isfinite(value):
            return 1 if value > 0 else -1
    except OverflowError:
        pass
    bits = 64
    while True:
        lo, hi = interval(x, bits=bits)
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        bits *= 2
        if bits > 1 << 16:  # pragma: no cover - a non-zero element separates long before
            raise ArithmeticError(f"cannot separate {x} from 0")


# --- helpers for code that holds plain numbers or field elements ------------------------------
def is_complex(x: object) -> bool:
    """Whether ``x`` is a non-real field element."""
    return isinstance(x, Cyclotomic) and not x.is_real


def is_real(x: object) -> bool:
    return not is_complex(x)


def real_part(x: int | Fraction | Cyclotomic) -> int | Fraction | Cyclotomic:
    """Re x for any value the simulator holds (rationals are returned unchanged)."""
    return x.real if isinstance(x, Cyclotomic) else x


def order_of(x: object) -> int:
    """The field order n of a value (1 for rationals)."""
    return x.n if isinstance(x, Cyclotomic) else 1


def as_field(x: int | Fraction | Cyclotomic, n: int) -> int | Fraction | Cyclotomic:
    """``x`` lifted into Q(ζₙ) (rationals stay rational)."""
    return x.lift(n) if isinstance(x, Cyclotomic) else x
