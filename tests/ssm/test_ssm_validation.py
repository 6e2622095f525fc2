"""An SSM checks itself when built (every rule of ssm/validate.py), also under ``python -O``;
a file's error keeps the file's path."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from ssmproof import examples
from ssmproof.errors import SSMFileError
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok
from tests.optimized import error_under_python_o


def _latch(gate_reads: str) -> Layer:
    return Layer("L1", ("L1.h",), gate={"L1.h": {gate_reads: 1}}, input={"L1.h": {tok("a"): 1}},
                 export=("L1.h",))


def test_a_layer_reading_its_own_state_is_refused_when_built():
    # the gate reads L1.h itself: a nonlinear RNN, not an SSM (DESIGN §2)
    with pytest.raises(SSMFileError, match=re.escape(
            "SSM 'rnn': layers[0].gate.L1.h.L1.h: reads this layer's own output")):
        SSM("rnn", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (_latch("L1.h"),),
            accept={"L1.h": 1})


def test_a_recognizer_without_accept_and_a_replace_that_breaks_a_rule_are_refused():
    with pytest.raises(SSMFileError, match=re.escape("SSM 'x': readout.accept: a recognizer "
                                                     "needs an accept readout")):
        SSM("x", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (_latch(ONE),))
    with pytest.raises(SSMFileError, match=re.escape("readout.accept.nowhere: dim 'nowhere' is "
                                                     "not in the final stream")):
        replace(examples.last_is_a(), accept={"nowhere": 1})


def test_a_bad_file_is_still_named_by_its_path(tmp_path):
    data = json.loads(jsonio.to_json(examples.last_is_a()))
    data["readout"]["accept"] = {"nowhere": "1"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SSMFileError) as info:
        jsonio.load(str(path))
    assert str(info.value).startswith(f"{path}: readout.accept.nowhere: dim 'nowhere'")


def test_python_dash_o_still_rejects_a_bad_ssm():
    message = error_under_python_o(
        "SSM('x', Mode.RECOGNIZE, ('a',), default_embedding(('a',)), ())", "SSMFileError",
        "from ssmproof.ssm.program import SSM, Mode, default_embedding")
    assert message.startswith("SSM 'x': readout.accept: a recognizer needs an accept readout")
