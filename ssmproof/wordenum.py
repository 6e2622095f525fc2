"""One base for the toolkit's string-valued enums, so that a member prints as its word.

An enum's value is the word used in the CLI and in JSON (STYLE R3). Python 3.11 changed
``format()`` of ``(str, Enum)`` members (f-strings, ``str.format``) to give ``Mode.RECOGNIZE``
where 3.10 gave ``recognize``, and ``str()`` gives the member name on both. ``WordEnum`` fixes
``str``, ``format`` and ``%s`` to the value, so every message reads the same on every supported
Python (``enum.StrEnum`` would do this, but it is 3.11+ and the project supports 3.10).

Examples
--------
>>> class Colour(WordEnum):
...     RED = "red"
>>> f"{Colour.RED}|{Colour.RED:>5}|" + str(Colour.RED) + "|%s" % Colour.RED
'red|  red|red|red'
>>> Colour("red") is Colour.RED, Colour.RED == "red"
(True, True)
"""

from __future__ import annotations

import enum

__all__ = ["WordEnum"]


class WordEnum(str, enum.Enum):
    """A ``(str, Enum)`` whose ``str()`` and ``format()`` are its value on every Python."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)
