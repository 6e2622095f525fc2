"""Arithmetic formats and rounding (DESIGN §3): exact values, and how a finite format rounds them.

Modules: :mod:`~ssmproof.numerics.formats` (:class:`Format`, :func:`parse`, the reference
rounding), :mod:`~ssmproof.numerics.rounding` (the integer-arithmetic kernels) and
:mod:`~ssmproof.numerics.arrays` (the float64/numpy path for batched simulation);
:mod:`~ssmproof.numerics.cyclotomic` (exact complex weights in Q(ζₙ)) and
:mod:`~ssmproof.numerics.complex_rounding` (complex values under a finite format, per part).
"""

from __future__ import annotations

from ssmproof.numerics import arrays, formats, rounding
from ssmproof.numerics.formats import Format, FormatKind, NonFiniteValue, Value, parse

__all__ = [
    "arrays",
    "formats",
    "rounding",
    "Format",
    "FormatKind",
    "NonFiniteValue",
    "Value",
    "parse",
]
