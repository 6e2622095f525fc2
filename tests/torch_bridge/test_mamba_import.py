"""import-torch: a trained Mamba-1 becomes an ssmproof model that decides as the module does,
and refute's finding on the committed PARITY checkpoint is replayed on the module itself."""

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("mambapy", reason="mambapy is not installed: pip install 'ssmproof[torch]'")

import torch  # noqa: E402

from ssmproof import cli  # noqa: E402
from ssmproof.errors import SsmproofError  # noqa: E402
from ssmproof.refute.stabilise import refute  # noqa: E402
from ssmproof.sim.machine import Machine  # noqa: E402
from ssmproof.numerics.formats import parse  # noqa: E402
from ssmproof.ssm import jsonio  # noqa: E402
from ssmproof.torch import mamba, mamba_import, replay  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PARITY = ROOT / "examples" / "mamba" / "parity_mamba.pt"
STARFREE = ROOT / "examples" / "mamba" / "tomita4_mamba.pt"


def _readout(machine, word):
    """The accept readout's value (not only its sign) after every position."""
    regs_index = machine.reg_names.index("readout of accept")
    c, out = machine.start(), []
    for t in [0, *machine.token_ids(word)]:
        c, _, regs = machine._step(c, t, None)
        out.append(float(regs[regs_index]))
    return out


@pytest.mark.parametrize("d_conv", [2, 3, 4])
def test_an_untrained_block_stack_computes_the_module_s_logits(d_conv, tmp_path):
    # Every conv width goes through a different number of delay layers; two blocks check the
    # residual stream between them. float32 logits agree to a few ulps: both sides round each
    # operation once, but torch sums dot products in float32 in its own order (1e-5 relative
    # covers ~100 such roundings).
    torch.manual_seed(d_conv)
    model = mamba.MambaRecognizer(("a", "b"), {"d_model": 4, "n_layers": 2, "d_state": 2,
                                               "expand_factor": 2, "d_conv": d_conv})
    mamba.save(model, str(tmp_path / "m.pt"), language="untrained")
    data = mamba.load_checkpoint(str(tmp_path / "m.pt"))
    ssm = mamba_import.to_ssm(data)
    assert sum(1 for layer in ssm.layers if layer.state) == 2
    assert len(ssm.layers) == 2 * (d_conv - 1) + 1 + 2  # per block: norm, delays, scan; final norm
    word = list("abbabaab")
    with torch.no_grad():
        want = model(mamba.encode(("a", "b"), [word]))[0].tolist()
    got = _readout(Machine(ssm, parse("float32")), word)
    assert got == pytest.approx(want, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("path", [PARITY, STARFREE], ids=["parity", "tomita4"])
def test_the_committed_checkpoints_decide_as_their_modules_in_float32(path):
    data = mamba.load_checkpoint(str(path))
    ssm = mamba_import.to_ssm(data, path=str(path))
    rng = random.Random(7)
    words = [[rng.choice(ssm.alphabet) for _ in range(rng.randint(0, 12))] for _ in range(12)]
    same, total = replay.agreement(ssm, data, words, "float32")
    assert total == sum(len(w) + 1 for w in words)
    assert same == total


def test_import_torch_writes_a_version_3_model_with_nonnegative_gates(tmp_path, capsys):
    out = tmp_path / "parity.json"
    assert cli.main(["import-torch", str(PARITY), "--arch", "mamba1", "-o", str(out)]) == 0
    assert "64 state dims" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["format"] == "ssmproof-ssm/3"
    assert (data["metadata"]["gate_class"], data["metadata"]["gate_class_coverage"]) == \
        ("nonnegative", "structural")
    assert jsonio.load(str(out)).alphabet == ("0", "1")


def test_a_file_that_is_not_a_checkpoint_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.pt"
    bad.write_text("not a checkpoint")
    assert cli.main(["import-torch", str(bad), "--arch", "mamba1", "-o",
                     str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"ssmproof: {bad}: not a torch checkpoint")
    assert not (tmp_path / "x.json").exists()


def test_a_tensor_of_the_wrong_shape_is_named_by_its_key(tmp_path):
    data = mamba.load_checkpoint(str(PARITY))
    data["state_dict"]["mamba.layers.0.mixer.A_log"] = torch.zeros(3, 3)
    with pytest.raises(SsmproofError, match=r"state_dict\.mamba\.layers\.0\.mixer\.A_log: shape "
                                            r"\(3, 3\), expected \(16, 4\)"):
        mamba_import.to_ssm(data, path="p.pt")


def test_a_configuration_the_importer_does_not_model_is_refused_not_ignored():
    data = mamba.load_checkpoint(str(PARITY))
    data["config"] = {**data["config"], "inner_layernorms": True}
    with pytest.raises(SsmproofError, match=r"config\.inner_layernorms: true is not supported"):
        mamba_import.to_ssm(data, path="p.pt")


@pytest.mark.parametrize("fmt", ["float32", "bfloat16"])
def test_refute_finds_a_word_the_parity_model_gets_wrong_and_the_module_does_too(fmt):
    data = mamba.load_checkpoint(str(PARITY))
    ssm = mamba_import.to_ssm(data, path=str(PARITY))
    r = refute(ssm, "parity", fmt=fmt)
    assert r.found and r.input is not None
    even = r.input.count("1") % 2 == 0  # parity's definition, not its DFA
    assert r.in_language == even and r.ssm_accepts != even
    back = replay.replay(ssm, data, r.input, fmt, r.in_language)
    assert back.misclassified_in_torch and back.first_disagreement is None


def test_refute_with_torch_reports_the_replay_in_json(tmp_path, capsys):
    model = tmp_path / "parity.json"
    assert cli.main(["import-torch", str(PARITY), "--arch", "mamba1", "-o", str(model)]) == 0
    capsys.readouterr()
    code = cli.main(["refute", str(model), "--against", "parity", "--format", "float32",
                     "--torch", str(PARITY), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["found"]
    assert out["torch_replay"]["misclassified_in_torch"] is True
    assert out["torch_replay"]["length"] == len(out["input"])


def test_the_training_script_is_deterministic_and_writes_a_loadable_checkpoint(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_mamba", ROOT / "scripts" / "train_mamba.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    paths = [tmp_path / "a.pt", tmp_path / "b.pt"]
    for p in paths:
        assert train.main(["parity", "--steps", "3", "--max-length", "4", "-o", str(p)]) == 0
    a, b = (mamba.load_checkpoint(str(p)) for p in paths)
    assert a["training"]["steps"] == 3 and a["language"] == "parity"
    assert a["state_dict"].keys() == b["state_dict"].keys()
    assert all(torch.equal(a["state_dict"][k], b["state_dict"][k]) for k in a["state_dict"])
    assert mamba_import.to_ssm(a).state_dims == 64
