"""Random nonnegative SSMs on every non-star-free zoo language: refute finds a word they get wrong.

The CI-sized sample (60 cases) must be at least 95 % conclusive; each found word is re-checked by
``refute`` itself (a fresh ``run_word`` or a block replay, against the DFA), and here once more
through ``run_words`` (the ``ssmproof run`` path) against membership functions written directly
from the languages' definitions (they do not use the DFA, the zoo or the simulator).
"""

from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import zoo
from ssmproof.refute.report import Status
from ssmproof.refute.stabilise import refute
from ssmproof.refute.sweep import FORMATS, sweep
from ssmproof.sim.run import run_words
from ssmproof.testing import ssms


def _runs(word):
    return [(s, len(list(g))) for s, g in groupby(word)]


def _tomita3(word):
    # no odd-length maximal run of 1s immediately followed by an odd-length maximal run of 0s
    runs = _runs(word)
    return not any(a == "1" and n % 2 and b == "0" and m % 2
                   for (a, n), (b, m) in zip(runs, runs[1:]))


MEMBER = {
    "parity": lambda w: w.count("1") % 2 == 0,              # an even number of 1s
    "aa_star": lambda w: len(w) % 2 == 0,                   # (aa)*
    "aaaa_star": lambda w: len(w) % 4 == 0,                 # (aaaa)*
    "abab_star": lambda w: len(w) % 4 == 0 and list(w) == ["a", "b"] * (len(w) // 2),
    "tomita:3": _tomita3,
    "tomita:5": lambda w: w.count("0") % 2 == 0 and w.count("1") % 2 == 0,
    "tomita:6": lambda w: (w.count("0") - w.count("1")) % 3 == 0,
}


def test_the_ci_sample_is_at_least_95_percent_conclusive_and_every_word_rechecked():
    tally = sweep(60, seed=2024, block_budget=5000)
    assert tally.conclusive_rate >= 0.95, tally.text()
    for case in tally.cases:
        if case.status == Status.FOUND.value:
            assert case.rechecked, case
        else:  # the only acceptable way to end without a word: the budget
            assert case.status == Status.NOT_STABILISED.value and "budget" in case.reason


@settings(max_examples=25)
@given(name=st.sampled_from(sorted(MEMBER)), fmt=st.sampled_from(FORMATS),
       predict=st.booleans(), data=st.data())
def test_a_found_word_is_answered_wrongly_by_the_run_command_path(name, fmt, predict, data):
    lang = zoo.language(name)
    # random_ssm's defaults otherwise (MLP on, 1-2 dims a layer, nonnegative); lag a coin
    ssm = data.draw(ssms(lang.alphabet, layers=(1, 3), mlp=True,
                         mode="predict" if predict else "recognize"))
    r = refute(ssm, lang, fmt=fmt, block_budget=20_000)
    assert r.status is Status.FOUND, r.summary()
    assert r.input is not None and len(r.input) == r.length
    assert MEMBER[name](r.input) == r.in_language
    (result,) = run_words(ssm, [r.input], fmt=fmt)
    if r.non_finite:
        assert result.error
    elif r.wrong_symbol in (None, "EOS"):
        assert result.accepts == r.ssm_accepts != r.in_language
    else:
        assert (r.wrong_symbol in result.allowed_next[-1]) == r.ssm_allows
