"""Every zoo language against the case table: membership on all short words, sizes, labels,
witnesses, and the name grammar."""

from __future__ import annotations

import json

import pytest

from ssmproof.errors import SpecError
from ssmproof.lang import dfa, monoid, spec, zoo
from ssmproof.lang.automaton import DFA, Language
from tests.cases import AUTOMATA, CASES, NOT_STAR_FREE, REGULAR, WITH_FILES, Case, case_id
from tests.lang.exhaustive import first_disagreement

# Length of the exhaustive check: every word up to this length, per alphabet size. Alphabets of
# up to 5 symbols go to 10 or more; the larger Dyck alphabets (6 and 10 symbols) as far as fits,
# and one step further in the slow run. boolean:3 parses each of its words one by one, so it goes
# to 8 here and 9 in the slow run (boolean:1 and boolean:2 go to 10 here).
FAST = {1: 12, 2: 12, 3: 10, 4: 10, 5: 10, 6: 7, 10: 5}
SLOW = {6: 8, 10: 6}
HEAVY = {"boolean_3": (8, 9)}


def _language(case: Case) -> Language:
    """The case's language through the spec loader, which takes zoo names and spec paths alike
    (the group languages of issue 14 exist only as files)."""
    return spec.to_language(spec.resolve(case.address))


def _fast_length(case: Case) -> int:
    return HEAVY[case.name][0] if case.name in HEAVY else FAST[len(case.alphabet)]


def _slow_length(case: Case) -> int:
    return HEAVY[case.name][1] if case.name in HEAVY else SLOW[len(case.alphabet)]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_zoo_name_accepts_exactly_the_words_of_the_definition(case: Case) -> None:
    lang = spec.to_language(spec.resolve(case.address))
    assert tuple(lang.alphabet) == case.alphabet
    bad = first_disagreement(lang, case.member, case.alphabet, _fast_length(case),
                             case.bulk_pattern)
    assert bad is None, f"{case.name} disagrees with its definition on {bad}"


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if len(c.alphabet) in SLOW or c.name in HEAVY],
                         ids=case_id)
def test_zoo_name_accepts_exactly_the_words_of_the_definition_to_greater_length(case: Case
                                                                                 ) -> None:
    lang = _language(case)
    assert first_disagreement(lang, case.member, case.alphabet, _slow_length(case),
                              case.bulk_pattern) is None


@pytest.mark.parametrize("case", WITH_FILES, ids=case_id)
def test_spec_file_accepts_exactly_the_words_of_the_definition(case: Case) -> None:
    s = spec.load(case.spec_path)
    lang = spec.to_language(s)
    assert (s.name, tuple(s.alphabet)) == (case.name, case.alphabet)
    assert s.description and s.source
    bad = first_disagreement(lang, case.member, case.alphabet, min(_fast_length(case), 10),
                             case.bulk_pattern)
    assert bad is None, f"{case.spec_file} disagrees with its definition on {bad}"


@pytest.mark.parametrize("case", [c for c in WITH_FILES if c.regular], ids=case_id)
def test_spec_file_and_zoo_name_have_the_same_minimal_dfa(case: Case) -> None:
    from_file = dfa.minimize(spec.to_dfa(spec.load(case.spec_path)))
    from_zoo = dfa.minimize(spec.to_dfa(spec.resolve(case.address)))
    assert dfa.equivalent(from_file, from_zoo) is None
    assert len(from_file.states) == len(from_zoo.states)


def test_every_file_in_automata_is_a_case() -> None:
    files = {p.name for p in AUTOMATA.iterdir() if p.suffix in (".json", ".toml")}
    assert files == {c.spec_file for c in WITH_FILES}
    assert not (AUTOMATA / "__init__.py").exists()


@pytest.mark.parametrize("case", REGULAR, ids=case_id)
def test_classification_matches_the_papers_label_and_hand_derived_sizes(case: Case) -> None:
    c = monoid.classify(_language(case))
    assert (c.regular, c.star_free) == (True, case.star_free)
    assert (c.witness is None) == case.star_free
    if case.states is not None:
        assert c.states == case.states
    if case.monoid_size is not None:
        assert c.monoid_size == case.monoid_size


@pytest.mark.parametrize("case", NOT_STAR_FREE, ids=case_id)
def test_witness_replays_on_the_definition_with_its_least_period(case: Case) -> None:
    w = monoid.classify(_language(case)).witness
    assert w is not None
    up_to = 2 * (w.period + len(w.u) + (case.states or 0))
    assert monoid.replay(w, case.member, up_to=up_to)
    if case.witness is not None:
        assert (w.u, w.w, w.v, w.period) == case.witness


@pytest.mark.parametrize("case", [c for c in CASES if not c.regular], ids=case_id)
def test_counter_languages_classify_as_not_regular(case: Case) -> None:
    c = monoid.classify(_language(case))
    assert (c.regular, c.states, c.monoid_size, c.star_free, c.witness) == (
        False, None, None, None, None)


def test_the_papers_star_free_labels() -> None:
    star_free = {c.name for c in CASES if c.star_free}
    assert {"tomita1", "tomita2", "tomita4", "tomita7", "D2", "D3", "D4", "D12", "aabbccddee",
            "abdbc", "zero_one_two_02", "flipflop"} <= star_free
    assert {c.name for c in NOT_STAR_FREE} == {"parity", "aa_star", "aaaa_star", "abab_star",
                                               "tomita3", "tomita5", "tomita6", "count_a_mod3",
                                               "count_a_mod5", "a_even_b_mod3",
                                               "s3_word_problem", "a5_word_problem"}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_zoo_language_implements_the_language_protocol(case: Case) -> None:
    lang = _language(case)
    assert isinstance(lang, Language)
    assert lang.regular == case.regular
    assert isinstance(lang, DFA) or hasattr(lang, "sample_member")


# --- the name grammar -----------------------------------------------------------------------

BAD_NAMES = [
    ("tomita:0", "N", "0 is outside 1..7", "tomita:N with N from 1 to 7"),
    ("tomita:8", "N", "8 is outside 1..7", "e.g. tomita:3"),
    ("tomita:x", "N", "'x' is not a whole number", "tomita:N"),
    ("tomita:-1", "N", "'-1' is not a whole number", "tomita:N"),
    ("tomita", "", "'tomita' needs 1 parameter (tomita:N), got 0", "tomita:N"),
    ("parity:2", "", "'parity' takes no parameters", "write parity"),
    ("dyck:2", "", "'dyck' needs 2 parameters (dyck:K,H), got 1", "K from 1 to 500"),
    ("dyck:0,3", "K", "0 is outside 1..500", "dyck:K,H"),
    ("dyck:2,0", "H", "0 is outside 1..1000", "dyck:K,H"),
    ("shuffle:8", "K", "8 is outside 1..7", "shuffle:K"),
    ("boolean:6", "N", "6 is outside 1..5", "boolean:N"),
    ("tomta:3", "", "unknown language name", "did you mean 'tomita:N'?"),
    ("???", "", "unknown language name", "ssmproof zoo"),
]


@pytest.mark.parametrize(("text", "field", "problem", "fix"), BAD_NAMES,
                         ids=[b[0] for b in BAD_NAMES])
def test_bad_zoo_name_is_a_clear_error(text: str, field: str, problem: str, fix: str) -> None:
    with pytest.raises(SpecError) as caught:
        spec.resolve(text)
    err = caught.value
    assert (err.path, err.field) == (text, field)
    assert problem in err.problem and fix in err.fix


def test_zoo_names_tolerate_spaces_around_parameters() -> None:
    assert spec.resolve("dyck: 2 ,3").language == "dyck:2,3"


def test_dyck_alphabets_switch_to_numbered_tokens_from_five_pairs() -> None:
    assert zoo.dyck_alphabet(4) == ("(", ")", "[", "]", "{", "}", "<", ">")
    assert zoo.dyck_alphabet(5)[-2:] == ("(5", ")5")


def test_zoo_listing_is_json_with_the_contract_keys() -> None:
    listing = zoo.zoo_listing()
    json.dumps(listing)
    by_name = {e["name"]: e for e in listing}
    assert set(by_name) >= {"parity", "flipflop", "dyck:K,H", "tomita:N", "aa_star", "D12",
                            "dyck1", "shuffle:K", "boolean:N", "anbn", "anbncn", "anbncndn"}
    assert by_name["dyck:K,H"]["alphabet"] is None and by_name["dyck:K,H"]["star_free"] is True
    assert by_name["tomita:N"]["star_free"] is None
    assert by_name["parity"] == {**by_name["parity"], "alphabet": ["0", "1"], "regular": True,
                                 "star_free": False, "parameters": []}
    assert by_name["shuffle:K"]["regular"] is False
    assert by_name["shuffle:K"]["parameters"] == [{"name": "K", "min": 1, "max": 7,
                                                   "description": "number of bracket pairs"}]


def test_every_fixed_listing_entry_resolves_with_its_alphabet() -> None:
    for entry in zoo.zoo_listing():
        if entry["alphabet"] is not None:
            assert list(zoo.language(entry["name"]).alphabet) == entry["alphabet"]
            assert monoid.classify(zoo.language(entry["name"])).star_free == (
                entry["star_free"] if entry["regular"] else None)
