"""The checker's own regex reader and zoo definitions agree with the toolkit's languages."""

from __future__ import annotations

import pytest

from ssmproof.check.language import NotRegular, load_language
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import spec as specs

from .helpers import ROOT

ZOO = ["parity", "flipflop", "tomita:1", "tomita:2", "tomita:3", "tomita:4", "tomita:5",
       "tomita:6", "tomita:7", "dyck:2,3", "dyck:5,2", "dyck:1,1", "aa_star", "aaaa_star",
       "abab_star", "D2", "D3", "D12", "aabbccddee", "abdbc", "zero_one_two_02"]
FILES = sorted(str(p) for p in (ROOT / "automata").glob("*.*") if p.suffix in (".json", ".toml"))


def _equivalent(spec: str) -> None:
    """Both DFAs accept the same words: BFS over pairs of states, by symbol name."""
    ours = load_language(spec)
    theirs = dfa_.from_language(specs.to_language(specs.resolve(spec)))
    assert ours.name == specs.to_language(specs.resolve(spec)).name
    assert set(ours.alphabet) == set(theirs.alphabet)
    index = {s: i for i, s in enumerate(theirs.alphabet)}
    seen, todo = set(), [(ours.start, theirs.start, ())]
    while todo:
        p, q, word = todo.pop()
        assert (p in ours.accepting) == (q in theirs.accepting), (spec, word)
        for a, s in enumerate(ours.alphabet):
            nxt = (ours.delta[p][a], theirs.delta[q][index[s]])
            if nxt not in seen:
                seen.add(nxt)
                todo.append((*nxt, word + (s,)))


@pytest.mark.parametrize("name", ZOO)
def test_zoo_definitions_accept_the_same_words_and_are_as_small(name):
    _equivalent(name)
    theirs = dfa_.minimize(dfa_.from_language(specs.to_language(specs.resolve(name))))
    assert len(load_language(name).delta) == len(theirs.states)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.rsplit("/", 1)[-1])
def test_every_gallery_spec_reads_to_the_same_language(path):
    _equivalent(path)


def test_a_table_is_taken_as_written_with_one_sink(tmp_path):
    # "a then anything": two equivalent accepting states kept apart, b from start -> sink
    p = tmp_path / "t.json"
    p.write_text('{"name": "t", "alphabet": ["a", "b"], "states": ["s", "x", "y"], '
                 '"start": "s", "accepting": ["x", "y"], "transitions": {"s": {"a": "x"}, '
                 '"x": {"a": "y", "b": "y"}, "y": {"a": "x", "b": "x"}}}')
    d = load_language(str(p))
    assert len(d.delta) == 4 and d.delta[0] == (1, 3)


@pytest.mark.parametrize("regex,words_in,words_out", [
    ("(\\(\\))*", ["", "()", "()()"], ["(", ")(", "(()"]),   # escaped operators
    ("a|()", ["", "a"], ["aa", "b"]),
    ("(a b)+ b?", ["ab", "abb", "abab"], ["", "a", "abbb"]),
])
def test_regex_syntax(tmp_path, regex, words_in, words_out):
    alphabet = sorted({c for w in words_in + words_out for c in w} | {"a", "b"})
    p = tmp_path / "r.json"
    import json
    p.write_text(json.dumps({"name": "r", "alphabet": alphabet, "regex": regex}))
    d = load_language(str(p))
    for w, want in [(w, True) for w in words_in] + [(w, False) for w in words_out]:
        q = d.start
        for c in w:
            q = d.delta[q][d.alphabet.index(c)]
        assert (q in d.accepting) == want, (regex, w)


def test_multicharacter_tokens_and_quotes(tmp_path):
    p = tmp_path / "r.json"
    p.write_text('{"name": "r", "alphabet": ["(1", ")1"], "regex": "(\\\\(1 \')1\')*"}')
    d = load_language(str(p))
    q = d.delta[d.delta[d.start][0]][1]
    assert q in d.accepting and d.delta[d.start][1] not in d.live


def test_counter_languages_are_refused_as_not_regular():
    with pytest.raises(NotRegular):
        load_language("anbn")
