"""Subpackages that are also verbs: ``ssmproof.verify(...)`` and ``ssmproof.refute(...)``.

Importing a subpackage binds its module to the parent's attribute of the same name, which would
shadow a function called ``verify``. So the subpackage module itself is made callable: calling it
calls the stage function, and it stays an ordinary package for ``from ssmproof.verify import api``.
Nothing heavy is imported until the first call.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["make_callable"]


def make_callable(package: str, module: str, function: str) -> None:
    """Turn ``sys.modules[package]`` into a module whose call is ``module.function``."""

    class _VerbPackage(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), function)(*args, **kwargs)

    _VerbPackage.__name__ = f"{function}_package"
    sys.modules[package].__class__ = _VerbPackage
