"""``ssmproof export --torch`` writes a file that loads back into the same module."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'ssmproof[torch]'")

from ssmproof import cli  # noqa: E402
from ssmproof.torch import load  # noqa: E402
from ssmproof.torch.module import encode_words  # noqa: E402

SSM = "constructions/tomita4/recognize-nonnegative.json"  # no three consecutive 0s


def test_export_writes_a_module_that_loads_and_decides_like_the_language(tmp_path, capsys):
    out = tmp_path / "model.pt"
    assert cli.main(["export", SSM, "--torch", "--format", "bfloat16", "-o", str(out)]) == 0
    assert "bfloat16" in capsys.readouterr().out
    module, ssm = load(str(out))
    assert module.fmt == "bfloat16" and ssm.alphabet == ("0", "1")
    words = [list("1001"), list("10001"), list("")]
    assert module(encode_words(module, words)).decisions[:, :, 0].tolist()[0][-1] is True
    last = [module(encode_words(module, [w])).decisions[0, -1, 0].item() for w in words]
    assert last == [True, False, True]


def test_export_bad_format_and_bad_file_exit_2_with_one_line(tmp_path, capsys):
    out = tmp_path / "model.pt"
    assert cli.main(["export", SSM, "--torch", "--format", "fixed:8.4", "-o", str(out)]) == 2
    assert "float16, bfloat16, float32 or float64" in capsys.readouterr().err
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a torch file")
    with pytest.raises(Exception, match="not a torch file"):
        load(str(junk))
