"""``ssmproof compile``: written files, exit codes, messages, atomic output (DESIGN §7)."""

from __future__ import annotations

import argparse
import json
import os

import pytest

from ssmproof.commands import compile as compile_cmd
from ssmproof.errors import SpecError
from ssmproof.lang import spec
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify


def run(argv):
    parser = argparse.ArgumentParser(prog="ssmproof compile")
    compile_cmd.configure(parser)
    return compile_cmd.handle(parser.parse_args(argv))


def test_compile_writes_a_construction_that_proves(tmp_path, capsys):
    out = tmp_path / "dyck.json"
    assert run(["dyck:2,3", "-o", str(out), "--mode", "predict"]) == 0
    ssm = jsonio.load(str(out))
    data = json.loads(out.read_text())
    assert data["format"] == "ssmproof-ssm/1" and data["mode"] == "predict"
    assert data["metadata"]["state_dims"] == 4 and data["metadata"]["gate_class"] == "nonnegative"
    assert data["metadata"]["recipe"] == "dyck-clearing"
    cert = verify(ssm, spec.to_language(spec.resolve("dyck:2,3")), prove=True)
    assert cert.holds is True and cert.all_lengths is True
    assert cert.configurations == 1 + 2 + 4 + 8  # the live states: one configuration per stack
    assert "wrote" in capsys.readouterr().out
    assert sorted(os.listdir(tmp_path)) == ["dyck.json"]  # no temporary file left behind


def test_mode_defaults_to_recognize(tmp_path):
    out = tmp_path / "ff.json"
    assert run(["flipflop", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["mode"] == "recognize"


def test_not_star_free_exits_one_with_the_witness_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "parity.json"
    out.write_text("previous content")
    assert run(["parity", "-o", str(out), "--gates", "nonnegative"]) == 1
    err = capsys.readouterr().err
    assert "not star-free" in err and "w = 1" in err and "period 2" in err
    assert out.read_text() == "previous content"


def test_not_star_free_json_carries_the_witness(tmp_path, capsys):
    assert run(["parity", "-o", str(tmp_path / "p.json"), "--json", "--gates", "nonnegative"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["witness"] == {"u": [], "w": ["1"], "v": [], "period": 2}


def test_signed_parity_compiles(tmp_path, capsys):
    out = tmp_path / "parity.json"
    assert run(["parity", "-o", str(out), "--gates", "signed", "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["gate_class"] == "signed" and meta["state_dims"] == 1 and meta["layers"] == 1


@pytest.mark.parametrize("argv,match", [
    (["flipflop", "--recipe", "flipflop-recognizer", "--no-lag"], "lag"),
    (["dyck:2,2", "--recipe", "dyck-two-layer"], "--mode predict"),
])
def test_impossible_combinations_exit_one_with_a_message(tmp_path, capsys, argv, match):
    out = tmp_path / "x.json"
    assert run([argv[0], "-o", str(out), *argv[1:]]) == 1
    assert match in capsys.readouterr().err and not out.exists()


def test_bad_spec_is_a_spec_error_for_the_driver_to_map_to_exit_two(tmp_path):
    with pytest.raises(SpecError):
        run(["no_such_language", "-o", str(tmp_path / "x.json")])


def test_through_the_cli_driver_when_registered(tmp_path, monkeypatch):
    from ssmproof import cli, commands

    monkeypatch.setattr(cli, "COMMANDS", tuple(dict.fromkeys((*commands.COMMANDS, "compile"))))
    out = tmp_path / "d.json"
    assert cli.main(["compile", "dyck:1,2", "-o", str(out), "--mode", "predict"]) == 0
    assert cli.main(["compile", "nonsense:3", "-o", str(out)]) == 2
    assert cli.main(["compile", "parity", "-o", str(out), "--gates", "nonnegative"]) == 1
    assert cli.main(["compile", "automata/a5_word_problem.json", "-o", str(out)]) == 1
