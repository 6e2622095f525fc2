"""Shared check for STYLE R6: a module's ``__all__`` lists every public name it defines."""

from __future__ import annotations

import types

__all__ = ["public_names", "assert_all_covers_public_names"]


def public_names(module: types.ModuleType) -> set[str]:
    """Names ``module`` defines itself that do not start with ``_``.

    Submodules, and objects whose ``__module__`` says they were defined elsewhere (imports),
    are left out; values without a ``__module__`` (constants, aliases) count as defined here.
    """
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module.__name__) == module.__name__
    }


def assert_all_covers_public_names(module: types.ModuleType) -> None:
    """Every public name of ``module`` is in its ``__all__``, and every listed name exists."""
    missing = public_names(module) - set(module.__all__)
    assert not missing, f"{module.__name__}: public but not in __all__: {sorted(missing)}"
    absent = [name for name in module.__all__ if not hasattr(module, name)]
    assert not absent, f"{module.__name__}: __all__ lists undefined names {absent}"
