"""SSM files: canonical round trip, and one clear error per kind of bad file (DESIGN §2)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from ssmproof import examples
from ssmproof.cli import main
from ssmproof.errors import SSMFileError
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import SSM, Layer, Mode, Param, default_embedding

ALL_EXAMPLES = [examples.last_is_a(), examples.contains_aa(), examples.kth_last_is_a(4),
                examples.parity_signed(), examples.dyck1_bounded(3)]


@pytest.mark.parametrize("ssm", ALL_EXAMPLES, ids=lambda s: s.name)
def test_json_round_trip_is_byte_stable(ssm: SSM) -> None:
    text = jsonio.to_json(ssm)
    again = jsonio.from_json(text)
    assert jsonio.to_json(again) == text
    assert jsonio.content_hash(again) == jsonio.content_hash(ssm)


def test_rationals_are_strings_and_zeros_are_dropped() -> None:
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"one": Fraction(1, 3), "tok:a": 0}},
                  input={"L1.h": {"tok:a": -2}}, export=("L1.h",))
    ssm = SSM("t", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.h": 1})
    data = json.loads(jsonio.to_json(ssm))
    assert data["layers"][0]["gate"] == {"L1.h": {"one": "1/3"}}
    assert data["layers"][0]["input"] == {"L1.h": {"tok:a": "-2"}}
    assert data["metadata"]["state_dims"] == 1


def test_a_parameter_keeps_its_name_and_exact_value() -> None:
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"one": "lam"}},
                  input={"L1.h": {"tok:a": 1}}, export=("L1.h",))
    ssm = SSM("decay", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.h": 1},
              parameters=(Param("lam", Fraction(1, 3), "0 < lam <= 1/3", r"\lambda"),))
    data = json.loads(jsonio.to_json(ssm))
    assert data["layers"][0]["gate"]["L1.h"]["one"] == "lam"
    assert data["parameters"] == [{"name": "lam", "value": "1/3",
                                   "constraint": "0 < lam <= 1/3", "latex": "\\lambda"}]
    assert jsonio.from_json(jsonio.to_json(ssm)).value("lam") == Fraction(1, 3)


def test_the_content_hash_ignores_metadata_but_not_weights() -> None:
    a = examples.contains_aa()
    text = jsonio.to_json(a)
    data = json.loads(text)
    data["metadata"]["note"] = "anything"
    assert jsonio.content_hash(jsonio.from_json(json.dumps(data))) == jsonio.content_hash(a)
    data["layers"][0]["gate"]["L1.seen"]["one"] = "2"
    assert jsonio.content_hash(jsonio.from_json(json.dumps(data))) != jsonio.content_hash(a)


# ----------------------------------------------------------------------------- bad files
def _good() -> dict:
    return json.loads(jsonio.to_json(examples.contains_aa()))


def _set(path: list, value: object):
    def mutate(d: dict) -> dict:
        target = d
        for p in path[:-1]:
            target = target[p]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return d
    return mutate


_DELETE = object()

BAD = {
    # kind: (mutation of a good file or raw text, text expected in the message)
    "not_json": ("{not json", "not valid JSON"),
    "nan_constant": ('{"format": NaN}', "not valid JSON"),
    "top_level_list": ("[1, 2]", "(top level)"),
    "wrong_format_tag": (_set(["format"], "ssm/0"), "format"),
    "float_weight": (_set(["layers", 0, "gate", "L1.seen", "one"], 0.5), "layers[0].gate"),
    "zero_denominator": (_set(["layers", 0, "gate", "L1.seen", "one"], "1/0"),
                         "exact rational as a string"),
    "code_as_weight": (_set(["layers", 0, "input", "L1.seen", "L1.both"],
                            "__import__('os').system('echo hi')"), "not of the required form"),
    "undeclared_parameter": (_set(["layers", 0, "gate", "L1.seen", "one"], "lam"),
                             "names no declared parameter"),
    "missing_field": (_set(["layers", 0, "gate"], _DELETE), "'gate' is a required property"),
    "unknown_field": (_set(["layers", 0, "colour"], "red"), "colour"),
    "wrong_type_alphabet": (_set(["alphabet"], "ab"), "alphabet"),
    "empty_alphabet": (_set(["alphabet"], []), "alphabet"),
    "duplicate_symbol": (_set(["alphabet"], ["a", "a"]), "listed twice"),
    "reserved_symbol": (_set(["alphabet"], ["a", "BOS"]), "reserved"),
    "whitespace_symbol": (_set(["alphabet"], ["a b", "a"]), "alphabet[0]"),
    "embedding_missing_token": (_set(["embedding", "b"], _DELETE), "missing ['b']"),
    "lag_onto_own_state": (_set(["layers", 0, "lag"], ["L1.seen"]), "own output"),
    "gate_reads_own_state": (_set(["layers", 0, "gate", "L1.seen", "L1.seen"], "1"),
                             "own output"),
    "lag_of_unknown_dim": (_set(["layers", 0, "lag"], ["tok:z"]), "not in the stream"),
    "gate_row_of_unknown_state": (_set(["layers", 0, "gate", "L9.x"], {}), "L9.x"),
    "readout_unknown_dim": (_set(["readout", "accept"], {"nowhere": "1"}),
                            "not in the final stream"),
    "duplicate_state_dim": (_set(["layers", 0, "state"], ["L1.seen", "L1.seen"]), "twice"),
    "overwrites_stream_dim": (_set(["layers", 0, "state"], ["tok:a"]), "already exists"),
    "absurd_size": (_set(["alphabet"], [f"s{i}" for i in range(1001)]), "alphabet"),
    "recognizer_without_accept": (_set(["readout"], {}), "accept readout"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_every_kind_of_bad_file_gets_one_clear_line(kind: str, tmp_path, capsys) -> None:
    mutation, expected = BAD[kind]
    text = mutation if isinstance(mutation, str) else json.dumps(mutation(_good()))
    path = tmp_path / f"{kind}.json"
    path.write_text(text)
    with pytest.raises(SSMFileError) as err:
        jsonio.load(str(path))
    assert str(err.value).startswith(str(path))
    assert expected in str(err.value)
    code = main(["run", str(path), "--input", "a"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert str(path) in captured.err


def test_a_missing_file_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["run", str(tmp_path / "nope.json"), "--input", "a"]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_nothing_in_a_file_is_evaluated(tmp_path, monkeypatch) -> None:
    import builtins

    calls = []
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: calls.append(a))
    data = _good()
    data["name"] = "__import__('os').system('false')"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    assert jsonio.load(str(path)).name == data["name"]
    assert calls == []


def test_published_schema_is_the_one_the_loader_uses() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "ssm.schema.json"
    if not docs.exists():
        pytest.skip("docs/ssm.schema.json not yet published")
    assert json.loads(docs.read_text()) == jsonio.schema()


def test_the_gate_class_in_a_file_is_recomputed_not_trusted():
    data = json.loads(jsonio.to_json(examples.parity_signed()))
    assert data["metadata"]["gate_class"] == "signed"  # gate -1 on the symbol 1
    data["metadata"]["gate_class"] = "nonnegative"  # a false claim
    again = json.loads(jsonio.to_json(jsonio.from_json(json.dumps(data))))
    assert again["metadata"]["gate_class"] == "signed"
    assert again["metadata"]["gate_class_coverage"] == "complete"
