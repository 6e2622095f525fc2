"""The star-free compiler through the command line: ``ssmproof compile`` then ``verify --prove``."""

from __future__ import annotations

import json

import pytest

from ssmproof import cli
from ssmproof.ssm import jsonio


@pytest.mark.parametrize(("extra", "fmt"), [([], "exact"), (["--no-lag"], "bfloat16"),
                                            (["--no-lag", "--format", "float16"], "float16")])
def test_compile_then_prove_a_star_free_spec_from_the_command_line(tmp_path, capsys, extra,
                                                                   fmt) -> None:
    out = tmp_path / "d3.json"
    assert cli.main(["compile", "automata/D3.json", "-o", str(out), "--mode", "predict",
                     *extra]) == 0
    ssm = jsonio.load(str(out))
    assert ssm.metadata["recipe"] == "starfree-cascade"
    # the file records the computed class; loading drops it (a file's claim is never trusted)
    assert json.loads(out.read_text())["metadata"]["gate_class"] == "nonnegative"
    capsys.readouterr()
    assert cli.main(["verify", str(out), "--against", "automata/D3.json", "--prove",
                     "--format", fmt, "--json"]) == 0
    cert = json.loads(capsys.readouterr().out)
    assert cert["holds"] is True and cert["all_lengths"] is True


def test_the_recipe_option_forces_the_cascade_for_a_family_with_its_own_recipe(tmp_path) -> None:
    out = tmp_path / "ff.json"
    assert cli.main(["compile", "flipflop", "-o", str(out), "--recipe", "starfree"]) == 0
    assert jsonio.load(str(out)).metadata["starfree"]["dfa_states"] == 9
