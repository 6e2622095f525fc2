"""Doctest collection of the package: the torch bridge needs the optional torch extra.

Without torch, ``ssmproof/torch`` cannot be imported, so its doctests are not collected (its tests
in ``tests/torch_bridge`` skip with the reason); with torch they run like every other module's.
"""

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("torch") else ["torch/*"]
