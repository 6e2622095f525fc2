"""Algebra: aperiodic DFAs into cascades of reset automata (the Krohn-Rhodes holonomy route).

- :mod:`~ssmproof.algebra.images`: images, subduction classes, depths, tiles, transports.
- :mod:`~ssmproof.algebra.holonomy`: :func:`decompose`, DFA → :class:`Cascade`.
- :mod:`~ssmproof.algebra.cascade`: the cascade value, running it, :func:`check_cover`, sizes.
- :mod:`~ssmproof.algebra.rules`: reset rules from a cascade's transition table.
- :mod:`~ssmproof.algebra.cubes`: greedy cube covers (reset rules, compiled readouts).
- :mod:`~ssmproof.algebra.random_aperiodic`: random minimal aperiodic DFAs by construction.
"""

from ssmproof.algebra.cascade import (
    KEEP,
    Action,
    Cascade,
    CascadeSize,
    ChainNode,
    Condition,
    Coords,
    Keep,
    Level,
    Reset,
    ResetRule,
    cascade_size,
    check_cover,
    count_tile_chains,
    dependencies,
    layer_schedule,
    reachable_configurations,
)
from ssmproof.algebra.holonomy import decompose
from ssmproof.algebra.images import Skeleton, skeleton

__all__ = [
    "KEEP",
    "Action",
    "Cascade",
    "CascadeSize",
    "ChainNode",
    "Condition",
    "Coords",
    "Keep",
    "Level",
    "Reset",
    "ResetRule",
    "Skeleton",
    "cascade_size",
    "check_cover",
    "count_tile_chains",
    "decompose",
    "dependencies",
    "layer_schedule",
    "reachable_configurations",
    "skeleton",
]
