"""Reading a construction's state by name, for hand-computed facts in the recipe tests."""

from __future__ import annotations

from collections.abc import Sequence

from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM

__all__ = ["states_after"]


def states_after(ssm: SSM, word: Sequence[str]) -> dict[str, object]:
    """Every state dim's value after BOS and ``word`` (exact arithmetic), keyed by dim name."""
    m = Machine(ssm)
    config = m.start()
    for t in [0, *m.token_ids(word)]:
        config, _ = m.step(config, t)
    return dict(zip(ssm.state_dims_list, config[: ssm.state_dims]))
