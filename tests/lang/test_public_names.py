"""Each lang module's ``__all__`` lists exactly the public functions and classes it defines."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = ["spec", "regex", "dfa", "monoid", "zoo", "counters"]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist_and_cover_every_public_definition(name: str) -> None:
    module = importlib.import_module(f"ssmproof.lang.{name}")
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "a name is listed twice"
    assert all(hasattr(module, n) for n in exported)
    defined = {n for n, obj in vars(module).items()
               if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
               and obj.__module__ == module.__name__}
    assert defined <= exported, f"public but not exported: {sorted(defined - exported)}"


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_function_has_a_doctested_example(name: str) -> None:
    module = importlib.import_module(f"ssmproof.lang.{name}")
    for n in module.__all__:
        obj = getattr(module, n)
        if inspect.isfunction(obj):
            assert obj.__doc__ and ">>>" in obj.__doc__, f"{name}.{n} has no example"
