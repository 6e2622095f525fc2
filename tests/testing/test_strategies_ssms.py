"""ssms(): valid constructions of the requested size, gate class, lag and MLP options."""

from __future__ import annotations

import itertools

import pytest

from ssmproof.errors import SsmproofError
from ssmproof.sim.machine import Machine
from ssmproof.ssm import jsonio
from ssmproof.testing import strategies
from tests.testing.draw import draw_many

WORDS = [w for n in range(4) for w in itertools.product("ab", repeat=n)]


def _gate_values(ssm):
    m = Machine(ssm, observe_gates=True)
    for w in WORDS:
        m.decisions(w)
    return [a for values in m.gate_values for a in values]


@pytest.mark.usefixtures("small_gate_budget")
def test_ssms_are_valid_files_of_the_requested_size():
    got = draw_many(strategies.ssms(("a", "b"), layers=(1, 3), width=(1, 2)), n=30)
    for ssm in got:
        assert jsonio.from_json(jsonio.to_json(ssm)) is not None  # schema + structure checks
        assert 1 <= len(ssm.layers) <= 3 and ssm.alphabet == ("a", "b")
        assert all(1 <= len(layer.state) <= 2 for layer in ssm.layers)
    assert {len(s.layers) for s in got} == {1, 2, 3}
    assert any(layer.lag for s in got for layer in s.layers)
    assert any(not layer.mlp for s in got for layer in s.layers)


def test_nonnegative_ssms_meet_only_nonnegative_gates_and_signed_ones_meet_negative():
    nonneg = draw_many(strategies.ssms(("a", "b"), gate_class="nonnegative"), n=25)
    assert all(a >= 0 for s in nonneg for a in _gate_values(s))
    signed = draw_many(strategies.ssms(("a", "b"), gate_class="signed"), n=25)
    assert any(a < 0 for s in signed for a in _gate_values(s))


def test_forced_options_are_honoured():
    got = draw_many(strategies.ssms(("x",), layers=2, width=1, lag=False, mlp=True,
                                    mode="predict"), n=10)
    for ssm in got:
        assert len(ssm.layers) == 2 and ssm.mode.value == "predict"
        assert all(not layer.lag and layer.mlp for layer in ssm.layers)
        assert set(ssm.next) == {"x", "EOS"}


@pytest.mark.parametrize("kwargs", [dict(gate_class="complex"), dict(mode="both"),
                                    dict(layers=0), dict(width=(2, 1))],
                         ids=["gate_class", "mode", "no_layers", "reversed_width"])
def test_ssms_rejects_bad_options(kwargs):
    with pytest.raises(SsmproofError):
        strategies.ssms(("a", "b"), **kwargs)
