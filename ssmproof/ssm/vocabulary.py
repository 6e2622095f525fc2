"""The words an SSM is written in: reserved tokens and prefixes, the one-hot dim names, the mode.

A module of its own so that :mod:`ssmproof.ssm.validate` can name them without importing the
model (:mod:`ssmproof.ssm.program` imports the validator: an SSM checks itself when built).
:mod:`ssmproof.ssm.program` re-exports every name here.
"""

from __future__ import annotations

from ssmproof.wordenum import WordEnum

__all__ = ["Mode", "LAG_PREFIX", "RESERVED_PREFIXES", "BOS", "EOS", "ONE", "tok"]

LAG_PREFIX = "prev:"
RESERVED_PREFIXES = (LAG_PREFIX, "gate:", "input:", "readout:")
"""No dim a file declares may start with these: ``prev:<d>`` is the lag view's name for ``d``,
and the others are how the simulator's own registers (kept under non-string keys, so out of any
file's reach anyway) are named in messages and traces (issue 11)."""
BOS, EOS, ONE = "BOS", "EOS", "one"


def tok(symbol: str) -> str:
    """The stream dim of a symbol's one-hot embedding (``tok:a``)."""
    return f"tok:{symbol}"


class Mode(WordEnum):
    """What the readout decides (DESIGN §2)."""

    RECOGNIZE = "recognize"
    PREDICT = "predict"
