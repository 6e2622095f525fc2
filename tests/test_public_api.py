"""The package's public names resolve, and ``__all__`` lists exactly them (STYLE R6)."""

import ssmproof


def test_all_equals_the_set_of_public_names_and_each_resolves():
    public = {n for n in dir(ssmproof) if not n.startswith("_")} | {"__version__"}
    assert set(ssmproof.__all__) == public
    for name in ssmproof.__all__:
        assert getattr(ssmproof, name) is not None, name


def test_the_verbs_work_end_to_end_on_a_zoo_language():
    lang = ssmproof.load("parity")
    assert ssmproof.classify(lang).star_free is False
    ssm = ssmproof.compile_language(lang, mode="recognize", gates="signed")
    cert = ssmproof.verify(ssm, lang, prove=True)
    assert cert.holds is True and cert.all_lengths
    again = ssmproof.from_json(ssmproof.to_json(ssm))
    assert ssmproof.to_json(again) == ssmproof.to_json(ssm)
    results = list(ssmproof.simulate(ssm, [("1", "1"), ("1",)]))
    assert [r.accepts for r in results] == [True, False]


def test_an_unknown_name_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError):
        ssmproof.no_such_verb  # noqa: B018
