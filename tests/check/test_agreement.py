"""Property: on random SSMs and random DFAs the checker confirms what ``verify --prove`` says.

Random constructions mostly fail against random languages, so this exercises the shortest
counterexample, its wrong symbols and the counts at the failure as much as closed proofs.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.check import CONFIRMED, check_data
from ssmproof.testing.random_ssm import random_ssm
from ssmproof.testing.strategies import dfas
from ssmproof.verify.api import verify

from .helpers import ssm_data


def _spec_file(tmp_path, dfa) -> str:  # noqa: ANN001
    table = {q: {a: dfa.states[dfa.delta[i][j]] for j, a in enumerate(dfa.alphabet)}
             for i, q in enumerate(dfa.states)}
    p = tmp_path / "lang.json"
    p.write_text(json.dumps({"name": "random", "alphabet": list(dfa.alphabet),
                             "states": list(dfa.states), "start": dfa.states[dfa.start],
                             "accepting": [dfa.states[q] for q in sorted(dfa.accepting)],
                             "transitions": table}))
    return str(p)


@settings(max_examples=30)
@given(seed=st.integers(0, 10**6), dfa=dfas(states=(1, 5), symbols=2),
       fmt=st.sampled_from(["exact", "bfloat16", "float16", "fixed:6.2"]),
       mode=st.sampled_from(["recognize", "predict"]), signed=st.booleans(), lag=st.booleans(),
       reverse=st.booleans())
def test_checker_confirms_verify_on_random_constructions(tmp_path_factory, seed, dfa, fmt, mode,
                                                         signed, lag, reverse):
    from ssmproof.lang import spec as specs

    path = _spec_file(tmp_path_factory.mktemp("agree"), dfa)
    lang = specs.to_language(specs.resolve(path))
    # the construction may list its alphabet in the other order (matched by name: issue 11)
    alphabet = lang.alphabet[::-1] if reverse else lang.alphabet
    ssm = random_ssm(seed, alphabet, mode=mode, lag=lag,
                     gate_class="signed" if signed else "nonnegative")
    cert = json.loads(verify(ssm, lang, fmt=fmt, prove=True, mode=mode,
                             max_configurations=200).to_json())
    v = check_data(cert, ssm_data(ssm), path)
    assert v.status == CONFIRMED, (v.reason, cert["holds"], cert["counterexample"])
    assert (v.configurations, v.edges) == (cert["configurations"], cert["edges"])
