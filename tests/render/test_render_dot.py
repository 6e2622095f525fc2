"""DOT pictures: the text parses, and its nodes and edges are exactly the object's structure."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest

from ssmproof import examples
from ssmproof.lang.automaton import DFA
from ssmproof.render import dot
from tests.render.render_fixtures import NASTY_SYMBOLS

HAVE_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAVE_DOT, reason="Graphviz (dot) is not installed "
                                                    "(apt-get install graphviz)")

_STRING = r'"(?:[^"\\]|\\.)*"'
_ATTRS = rf"\[((?:[^\]\"]|{_STRING})*)\]"
_EDGE = re.compile(rf"^\s*(\w+) -> (\w+)(?: {_ATTRS})?;$")
_NODE = re.compile(rf"^\s*(\w+) {_ATTRS};$")
_ATTR = re.compile(rf"(\w+)=({_STRING}|[\w.#]+)")


def unquote(s: str) -> str:
    assert s.startswith('"') and s.endswith('"')
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        if body[i] == "\\":
            nxt = body[i + 1]
            out.append({"n": "\n", "\\": "\\", '"': '"'}[nxt])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def parse(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Nodes (id → attrs) and edges (src, dst, attrs) of the DOT our module writes; every line
    must be a graph header, an attribute, a node, an edge, a subgraph line or a brace."""
    lines = text.strip().splitlines()
    assert re.fullmatch(rf"digraph {_STRING} {{", lines[0]) and lines[-1] == "}"
    nodes: dict[str, dict[str, str]] = {}
    edges = []
    for line in lines[1:-1]:
        if m := _EDGE.match(line):
            attrs = {k: (unquote(v) if v.startswith('"') else v)
                     for k, v in _ATTR.findall(m.group(3) or "")}
            edges.append((m.group(1), m.group(2), attrs))
        elif m := _NODE.match(line):
            if m.group(1) in ("node", "edge", "graph"):
                continue
            nodes[m.group(1)] = {k: (unquote(v) if v.startswith('"') else v)
                                 for k, v in _ATTR.findall(m.group(2))}
        else:
            assert re.match(r"^\s*(\w+=.*;|subgraph \w+ \{.*|\}|label=.*;|style=.*;)$", line), line
    return nodes, edges


def contains_aa_dfa() -> DFA:
    # words over {a, b} containing aa
    return DFA(("a", "b"), ("s", "a", "aa"), 0, frozenset({2}), ((1, 0), (2, 0), (2, 2)),
               "contains_aa")


def nasty_dfa() -> DFA:
    # over hostile symbols: accept after the first symbol (state 1), then stay; a sink for none
    k = len(NASTY_SYMBOLS)
    delta = (tuple([1] * k), tuple([1] * (k - 1) + [2]), tuple([2] * k))
    return DFA(NASTY_SYMBOLS, ('st"art\\N', "acc{}", "sink"), 0, frozenset({1}), delta, 'n"x')


@pytest.mark.parametrize("make", [contains_aa_dfa, nasty_dfa], ids=["contains_aa", "nasty"])
def test_dfa_dot_has_one_node_per_state_and_one_edge_per_state_pair(make):
    dfa = make()
    nodes, edges = parse(dot.dfa_to_dot(dfa))
    assert set(nodes) == {"start"} | {f"q{q}" for q in range(len(dfa.states))}
    for q, name in enumerate(dfa.states):
        assert nodes[f"q{q}"]["label"] == name
        assert (nodes[f"q{q}"].get("shape") == "doublecircle") == (q in dfa.accepting)
    assert ("start", f"q{dfa.start}", {}) in edges
    want = {}
    for q, row in enumerate(dfa.delta):
        for a, t in enumerate(row):
            want.setdefault((f"q{q}", f"q{t}"), []).append(dfa.alphabet[a])
    got = {(s, t): a["label"] for s, t, a in edges if s != "start"}
    shown = {k: ", ".join(v).replace("\x01", "U+0001") for k, v in want.items()}  # control chars
    assert got == shown
    assert len(edges) == len(want) + 1


def test_hiding_dead_states_drops_the_sink_and_its_edges():
    dfa = contains_aa_dfa()  # no dead state: nothing hidden
    assert dot.dfa_to_dot(dfa, hide_dead=True) == dot.dfa_to_dot(dfa)
    nasty = nasty_dfa()
    nodes, edges = parse(dot.dfa_to_dot(nasty, hide_dead=True))
    assert "q2" not in nodes and all("q2" not in (s, t) for s, t, _ in edges)
    assert "dead states hidden" in dot.dfa_to_dot(nasty, hide_dead=True)


def test_labels_escape_graphviz_escapes_quotes_and_control_characters():
    assert dot.label('a"b') == '"a\\"b"'
    assert dot.label("\\N") == '"\\\\N"'  # not Graphviz's node-name escape
    assert dot.label("x\x01") == '"xU+0001"'


def test_ssm_flow_edges_follow_the_dims_each_node_reads():
    nodes, edges = parse(dot.ssm_to_dot(examples.contains_aa()))
    assert set(nodes) == {"embedding", "L1_lag", "L1_pre", "L1_rec", "accept"}
    got = {(s, t): a["label"] for s, t, a in edges}
    assert got == {("embedding", "L1_lag"): "tok:a", ("embedding", "L1_pre"): "tok:a",
                   ("L1_lag", "L1_pre"): "prev:tok:a", ("embedding", "L1_rec"): "one",
                   ("L1_pre", "L1_rec"): "L1.both", ("L1_rec", "accept"): "L1.seen"}


def test_ssm_flow_of_a_two_layer_construction_links_the_layers():
    nodes, edges = parse(dot.ssm_to_dot(examples.dyck1_bounded(2)))
    pairs = {(s, t) for s, t, _ in edges}
    assert pairs == {("embedding", "L1_rec"), ("L1_rec", "L1_mlp"), ("L1_mlp", "L2_rec"),
                     ("embedding", "L2_rec"), ("L1_mlp", "accept"), ("L2_rec", "accept"),
                     ("embedding", "accept")}
    assert "MLP 6→2" in nodes["L1_mlp"]["label"]


def test_cascade_picture_from_a_generic_description():
    levels = [dot.CascadeLevel("top", 3), dot.CascadeLevel("middle", 2, (1,)),
              dot.CascadeLevel("bottom", 5, (1, 2))]
    text = dot.cascade_to_dot(levels, layers=[[1], [2, 3]])
    nodes, edges = parse(text)
    assert {n for n in nodes if n.startswith("level")} == {"level1", "level2", "level3"}
    assert nodes["level3"]["label"] == "bottom\n5 states (3 bits)"
    reads = {(s, t) for s, t, a in edges if a.get("label") == "reads"}
    assert reads == {("level1", "level2"), ("level1", "level3"), ("level2", "level3")}
    assert sum(1 for s, _, _ in edges if s == "input") == 3
    assert "subgraph cluster_layer2 { label=\"SSM layer 2\";" in text


def test_a_level_reading_a_lower_level_is_refused():
    with pytest.raises(ValueError, match="reads only levels above it"):
        dot.cascade_to_dot([dot.CascadeLevel("a", 2, (2,)), dot.CascadeLevel("b", 2)])


def test_cascade_objects_from_the_algebra_package_are_described():
    holonomy = pytest.importorskip("ssmproof.algebra.holonomy")
    from ssmproof.algebra import cascade
    from ssmproof.algebra import examples as algebra_examples

    c = holonomy.decompose(algebra_examples.dyck_depth(2))
    levels = dot.describe_cascade(c)
    assert [lv.states for lv in levels] == [lv.size for lv in c.levels]
    assert [set(lv.reads) for lv in levels] == [set(d) for d in cascade.dependencies(c)]
    assert dot.cascade_to_dot(c) == dot.cascade_to_dot(levels)


def test_dot_text_is_deterministic():
    assert dot.ssm_to_dot(examples.dyck1_bounded(2)) == dot.ssm_to_dot(examples.dyck1_bounded(2))


@needs_dot
@pytest.mark.parametrize("make", [contains_aa_dfa, nasty_dfa], ids=["contains_aa", "nasty"])
def test_graphviz_lays_out_the_dfa_with_the_same_nodes_and_edges(make):
    dfa = make()
    text = dot.dfa_to_dot(dfa)
    layout = json.loads(subprocess.run(["dot", "-Tjson"], input=text.encode(),
                                       capture_output=True, check=True).stdout)
    names = {o["name"] for o in layout["objects"]}
    assert names == {"start"} | {f"q{q}" for q in range(len(dfa.states))}
    assert len(layout["edges"]) == len({(q, t) for q, row in enumerate(dfa.delta)
                                        for t in row}) + 1
    svg = dot.to_svg(text)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg.count('class="node"') == len(dfa.states) + 1
    shown = {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
    assert set(dfa.states) <= shown  # Graphviz turned our escapes back into the names


@needs_dot
def test_ssm_and_cascade_pictures_lay_out():
    for text in (dot.ssm_to_dot(examples.dyck1_bounded(2)),
                 dot.cascade_to_dot([dot.CascadeLevel("a", 2), dot.CascadeLevel("b", 3, (1,))])):
        assert "<svg" in dot.to_svg(text)


def test_missing_graphviz_is_a_clear_error():
    with pytest.raises(dot.GraphvizError, match="no-such-dot: Graphviz is not installed"):
        dot.to_svg("digraph { a }", dot="no-such-dot")


@needs_dot
def test_graphviz_rejecting_the_input_is_reported():
    with pytest.raises(dot.GraphvizError, match="rejected the graph"):
        dot.to_svg("digraph { a -> }")
