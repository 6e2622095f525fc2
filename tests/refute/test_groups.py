"""Maximal subgroups of syntactic monoids, checked against groups known by hand."""

import pytest

from ssmproof.lang import groups, monoid, zoo
from ssmproof.lang.automaton import DFA


def permutation_dfa(name, perms, n):
    """The DFA whose letters act on {0..n-1} by the given permutations; accept state 0."""
    alphabet = tuple("abcdefgh"[: len(perms)])
    delta = tuple(tuple(p[q] for p in perms) for q in range(n))
    return DFA(alphabet, tuple(str(q) for q in range(n)), 0, frozenset({0}), delta, name)


A5 = permutation_dfa("a5", [(1, 2, 0, 3, 4), (0, 1, 3, 4, 2)], 5)   # 3-cycles (0 1 2), (2 3 4)
S3 = permutation_dfa("s3", [(1, 0, 2), (1, 2, 0)], 3)               # a transposition, a 3-cycle
Z4 = permutation_dfa("z4", [(1, 2, 3, 0)], 4)


@pytest.mark.parametrize("lang, names, gates, layers", [
    (zoo.parity(), ["Z2"], "signed", 1),
    (zoo.language("tomita:5"), ["Z2×Z2"], "signed", 1),
    (zoo.language("tomita:6"), ["Z3"], "complex", 1),
    (zoo.language("aaaa_star"), ["Z4"], "signed", 1),  # a 2-group: two cascaded sign flips
    (zoo.language("tomita:3"), ["Z2"], "signed", 1),
    (S3, ["S3"], "complex", 2),
    (Z4, ["Z4"], "signed", 1),
    (A5, ["A5"], "beyond diagonal", None),
    (zoo.language("tomita:4"), [], "nonnegative", 0),
    (zoo.flipflop(), [], "nonnegative", 0),
])
def test_group_types_and_the_gates_they_need(lang, names, gates, layers):
    report = groups.analyse(lang)
    assert [g.name for g in report.groups] == names
    assert (report.gates, report.layers_for_groups) == (gates, layers)
    assert report.references and report.explanation


def test_a5_is_not_solvable_and_s3_has_derived_length_two():
    (a5,) = groups.analyse(A5).groups
    assert (a5.order, a5.abelian, a5.solvable, a5.derived_length) == (60, False, False, None)
    (s3,) = groups.analyse(S3).groups
    assert (s3.order, s3.abelian, s3.solvable, s3.derived_length, s3.degree) == \
        (6, False, True, 2, 3)


def brute_h_class(elements, e):
    """Elements x with x = e·x·e having an inverse y = e·y·e (x·y = y·x = e): Green's H of e."""
    def mul(x, y):
        return tuple(y[x[q]] for q in range(len(x)))
    local = [x for x in elements if mul(mul(e, x), e) == x]
    return sorted(x for x in local if any(mul(x, y) == e and mul(y, x) == e for y in local))


@pytest.mark.parametrize("lang", [zoo.language("tomita:3"), zoo.language("abab_star"), S3,
                                  zoo.language("tomita:2")])
def test_maximal_subgroups_equal_a_brute_force_h_class(lang):
    from ssmproof.lang import dfa

    m = monoid.transition_monoid(dfa.minimize(lang))
    found = groups.maximal_subgroups(m)
    idempotents = [x for x in m.elements if tuple(x[q] for q in x) == x]
    assert sorted(e for e, _ in found) == sorted(idempotents)
    for e, members in found:
        assert sorted(m.elements[i] for i in members) == brute_h_class(m.elements, e)


def test_star_freeness_agrees_with_classify_on_the_zoo():
    names = ["parity", "aa_star", "aaaa_star", "abab_star", "D2", "abdbc", "zero_one_two_02"]
    names += [f"tomita:{n}" for n in range(1, 8)]
    for name in names:
        lang = zoo.language(name)
        assert (groups.analyse(lang).gates == "nonnegative") == monoid.classify(lang).star_free


def test_the_report_is_json_ready():
    d = groups.analyse(zoo.parity()).to_dict()
    assert d["gates"] == "signed" and d["groups"][0]["elementary_2"] is True
    assert set(d) >= {"monoid_size", "groups", "gates", "references"}
