"""``python -m ssmproof``: the same command line as ``ssmproof``."""

from ssmproof.cli import console

console()
