"""Certificates hold the enums (Mode, Method, GateClass) and write the same words as before."""

from __future__ import annotations

import json

import pytest

from ssmproof import examples
from ssmproof.errors import SsmproofError
from ssmproof.sim.gates import GateClass
from ssmproof.ssm.program import Mode
from ssmproof.verify.api import verify
from ssmproof.verify.certificate import Certificate, Method
from tests.verify import dfas


def test_a_verified_certificate_holds_enums_and_writes_their_words():
    cert = verify(examples.parity_signed(), dfas.parity(), prove=True)
    assert (cert.mode, cert.method, cert.gate_class) == \
        (Mode.RECOGNIZE, Method.PROVE, GateClass.SIGNED)
    data = json.loads(cert.to_json())
    assert (data["mode"], data["method"], data["gate_class"]) == ("recognize", "prove", "signed")
    assert all(type(cert.to_dict()[k]) is str for k in ("mode", "method", "gate_class"))
    assert cert.summary().endswith("[recognize, exact, prove]")


def test_a_prove_that_does_not_close_names_every_check_that_ran():
    # kth_last_is_a(5) has 32 configurations: a budget of 4 cannot close, so the default falls
    # back to the bounded check after prove
    cert = verify(examples.kth_last_is_a(5), dfas.kth_last_is_a(5), max_configurations=4)
    assert cert.method is Method.PROVE_BOUNDED and cert.to_dict()["method"] == \
        "prove+exhaustive+random"


def test_words_read_back_from_json_become_enums_and_unknown_words_are_refused():
    cert = verify(examples.last_is_a(), dfas.last_is_a(), exhaustive=3)
    again = Certificate(**{k: v for k, v in cert.to_dict().items()
                           if k in Certificate.__dataclass_fields__})
    assert again.method is Method.EXHAUSTIVE and again.mode is Mode.RECOGNIZE
    assert again.gate_class is GateClass.NONNEGATIVE
    with pytest.raises(SsmproofError, match="certificate: method: 'guess' is not one of prove"):
        Certificate("h", "L", "recognize", "exact", "guess", True, False, 3, None)
    with pytest.raises(SsmproofError, match="certificate: mode: 'Recognize' is not one of"):
        Certificate("h", "L", "Recognize", "exact", "prove", True, False, 3, None)


def test_method_of_joins_the_checks_in_order():
    assert Method.of([Method.EXHAUSTIVE, Method.RANDOM]) is Method.BOUNDED
    assert Method.of([Method.PROVE, Method.RANDOM]) is Method.PROVE_RANDOM
    assert f"{Method.PROVE_EXHAUSTIVE}|{Mode.PREDICT}|{GateClass.COMPLEX}" == \
        "prove+exhaustive|predict|complex"
