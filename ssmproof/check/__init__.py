"""An independent checker for ``prove`` certificates (issue 11): re-run the claim from files.

``check_files(CERT, SSM, SPEC)`` reads the three files itself, recomputes the SSM's content
hash, re-explores the product of configurations and DFA states breadth first, and either
confirms the certificate or names the first disagreement. It shares no code with the simulator,
the verifier or the numerics (``ssmproof.sim``, ``ssmproof.verify``, ``ssmproof.numerics``,
nor ``ssmproof.ssm`` or ``ssmproof.lang``); a test parses every import in this package to keep
it so. What it does share is written down in docs/verification.md ("The independent checker").

Modules: :mod:`~ssmproof.check.inputs` (file reading), :mod:`~ssmproof.check.numbers`
(exact and finite arithmetic), :mod:`~ssmproof.check.model` (SSM file, hash, one step),
:mod:`~ssmproof.check.automaton`, :mod:`~ssmproof.check.regex`, :mod:`~ssmproof.check.zoo`,
:mod:`~ssmproof.check.language` (the spec as a DFA), :mod:`~ssmproof.check.explore` (the walk)
and :mod:`~ssmproof.check.verdict` (dispatch by method, comparison, exit codes).
"""

from ssmproof.check.inputs import BadInput
from ssmproof.check.verdict import (
                                    CONFIRMED,
                                    DISAGREES,
                                    NOT_RECHECKED,
                                    Verdict,
                                    check_data,
                                    check_files,
)

__all__ = ["check_files", "check_data", "Verdict", "BadInput", "CONFIRMED", "DISAGREES",
           "NOT_RECHECKED"]
