"""Every string-valued enum prints as its word on every supported Python (3.10 and 3.11+ differ
in ``format()`` of a plain ``(str, Enum)``: 3.11 gives ``Status.FOUND`` where 3.10 gave ``found``)."""

from __future__ import annotations

import ast
import importlib
import pathlib

import pytest

from ssmproof.wordenum import WordEnum

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "ssmproof"
WORD_ENUMS = {  # module -> the enums it defines; the ast test below keeps this list complete
    "ssmproof.compiler.level_codes": ["Encoding"],
    "ssmproof.lang.spec_type": ["SpecKind"],
    "ssmproof.numerics.formats": ["FormatKind"],
    "ssmproof.refute.report": ["Status"],
    "ssmproof.sim.gates": ["GateClass"],
    "ssmproof.ssm.program": ["Activation"],
    "ssmproof.ssm.vocabulary": ["Mode"],
    "ssmproof.verify.certificate": ["Method"],
}


def _bases(node: ast.ClassDef) -> set[str]:
    return {ast.unparse(b) for b in node.bases}


def _enum_classes() -> dict[str, list[str]]:
    """module -> classes whose bases mention an Enum type (parsed, not imported)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and ({"str", "WordEnum"} & _bases(node)):
                if any("Enum" in b for b in _bases(node)):
                    found.setdefault(module, []).append(node.name)
    found.pop("ssmproof.wordenum", None)
    return found


def test_no_enum_mixes_in_str_except_through_word_enum_and_the_list_is_complete():
    for module, names in _enum_classes().items():
        src = (PACKAGE.parent / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        for name in names:
            node = next(n for n in ast.walk(ast.parse(src))
                        if isinstance(n, ast.ClassDef) and n.name == name)
            assert _bases(node) == {"WordEnum"}, f"{module}.{name} must derive from WordEnum"
    assert _enum_classes() == WORD_ENUMS


@pytest.mark.parametrize("module", sorted(WORD_ENUMS))
def test_every_member_formats_and_prints_as_its_value(module):
    for name in WORD_ENUMS[module]:
        cls = getattr(importlib.import_module(module), name)
        assert issubclass(cls, WordEnum) and len(cls) >= 2
        for member in cls:
            word = member.value
            assert isinstance(word, str) and word
            assert str(member) == f"{member}" == format(member) == "{}".format(member) == word
            assert "%s" % member == word
            assert f"{member:>30}" == word.rjust(30) and f"{member:.1}" == word[:1]
            assert f"{member!r}" == f"<{name}.{member.name}: {word!r}>"  # repr stays the enum's
            assert cls(word) is member and member == word  # still a str: JSON and == keep working
