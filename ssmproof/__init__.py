"""ssmproof: exact SSM constructions for formal languages, verified for all lengths.

The public verbs (STYLE R6), each a thin alias of the stage function that does the work:

- ``load(path_or_name)`` → a language (spec file or zoo name);
- ``classify(language)`` → minimal DFA size, monoid, star-free flag, witness;
- ``minimize(dfa)``;
- ``compile_language(language, mode=, gates=, lag=)`` → an :class:`SSM`;
- ``simulate(ssm, words, fmt=)`` → per-word results;
- ``verify(ssm, language, ...)`` → a :class:`Certificate`;
- ``refute(ssm, language, fmt=)`` → a :class:`Refutation`;
- ``to_json`` / ``from_json`` / ``to_latex``; ``build()`` regenerates the gallery.

Heavy modules load on first use, so ``import ssmproof`` stays quick.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": ("ssmproof.lang.api", "load"),
    "classify": ("ssmproof.lang.monoid", "classify"),
    "minimize": ("ssmproof.lang.dfa", "minimize"),
    "compile_language": ("ssmproof.compiler.compiling", "compile_language"),
    "simulate": ("ssmproof.sim.run", "run_words"),
    "to_json": ("ssmproof.ssm.jsonio", "to_json"),
    "from_json": ("ssmproof.ssm.jsonio", "from_json"),
    "to_latex": ("ssmproof.render.latex", "to_latex"),
    "build": ("ssmproof.gallery", "build"),
    "DFA": ("ssmproof.lang.automaton", "DFA"),
    "Language": ("ssmproof.lang.automaton", "Language"),
    "SSM": ("ssmproof.ssm.program", "SSM"),
    "Layer": ("ssmproof.ssm.program", "Layer"),
    "Dense": ("ssmproof.ssm.program", "Dense"),
    "Mode": ("ssmproof.ssm.program", "Mode"),
    "Machine": ("ssmproof.sim.machine", "Machine"),
    "Certificate": ("ssmproof.verify.certificate", "Certificate"),
    "Classification": ("ssmproof.lang.monoid", "Classification"),
    "Witness": ("ssmproof.lang.witness", "Witness"),
    "Refutation": ("ssmproof.refute.report", "Refutation"),
    "Format": ("ssmproof.numerics.formats", "Format"),
    "SsmproofError": ("ssmproof.errors", "SsmproofError"),
}

# ``verify`` and ``refute`` are also subpackages; their package modules are callable verbs
# (ssmproof._verbs), so importing them lazily through __getattr__ gives the verb.
_EXPORTS["verify"] = ("ssmproof.verify", None)
_EXPORTS["refute"] = ("ssmproof.refute", None)

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, attr = _EXPORTS[name]
        value = importlib.import_module(module)
        value = value if attr is None else getattr(value, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ssmproof' has no attribute '{name}'")


def __dir__() -> list[str]:
    return __all__


def _show_in_notebooks() -> None:
    """Inside IPython/Jupyter, display SSMs as equations and DFAs as pictures.

    The model classes know nothing of rendering (imports go one way); render/notebook.py
    registers its formatters with the running shell. Outside IPython nothing is imported.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from ssmproof.render import notebook  # only inside IPython: keeps start-up light

        notebook.register(shell)


_show_in_notebooks()
