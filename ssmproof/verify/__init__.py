"""Verification (DESIGN §4): exhaustive, random and ``prove``; certificates.

``ssmproof.verify(ssm, language, ...)`` calls :func:`ssmproof.verify.api.verify` (this package is
callable, see :mod:`ssmproof._verbs`).
"""

from ssmproof._verbs import make_callable

make_callable(__name__, "ssmproof.verify.api", "verify")
