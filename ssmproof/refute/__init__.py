"""The impossibility side (DESIGN §5): refute nonnegative-gated SSMs on non-star-free languages.

- :mod:`.stabilise`: ``refute(ssm, language, fmt=...)`` runs u·wⁿ·v block by block until the
  configuration repeats and returns a :class:`~.report.Refutation`;
- :mod:`.orbit` and :mod:`ssmproof.sim.interval`: the sound jumps over long one-dimensional orbits;
- :mod:`.lemmas`: the supporting lemmas, symbolically (sympy) and exhaustively (fixed point);
- :mod:`.wraparound`: PARITY with gate 1 under wrap-around ``int:P`` (the format caveat);
- :mod:`.sweep`: refute many random SSMs and tally the outcome.
"""

__all__ = ["stabilise", "orbit", "lemmas", "report", "wraparound", "sweep"]

from ssmproof._verbs import make_callable  # noqa: E402

# ``ssmproof.refute(ssm, language, ...)`` calls stabilise.refute (see ssmproof._verbs)
make_callable(__name__, "ssmproof.refute.stabilise", "refute")
