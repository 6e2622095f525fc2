"""Sweeps over many languages on Dask: tasks, the execution pool, result tables and plots.

- :mod:`ssmproof.sweep.tasks` — one task (classify → compile → prove) → one result row;
- :mod:`ssmproof.sweep.pool` — serial / local Dask cluster / remote scheduler execution
  (``ssmproof build`` runs on it too);
- :mod:`ssmproof.sweep.run` — the sweep driver (resumable, keyed by content hash);
- :mod:`ssmproof.sweep.results`, :mod:`ssmproof.sweep.plots` — CSV, Markdown summary, PNGs;
- :mod:`ssmproof.sweep.generate` — seeded random languages for the scale-out benchmark.
"""

from ssmproof.sweep.run import SweepReport, sweep

__all__ = ["SweepReport", "sweep"]
