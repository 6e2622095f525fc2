"""Graphviz pictures: a DFA, an SSM's data flow, a cascade's levels; SVG through ``dot``.

Every function returns DOT text (deterministic: same input, same bytes). Node identifiers are
generated (``q0``, ``L1_rec``, …), and every name a user chose appears only inside a quoted,
escaped ``label``, so symbols such as ``"``, ``\\N`` or ``{`` cannot break the file or trigger
Graphviz's label escapes. :func:`to_svg` runs the ``dot`` binary (Debian/Ubuntu package
``graphviz``) and raises :class:`GraphvizError` when it is missing or fails.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ssmproof.algebra import cascade as cascade_mod
from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import DFA
from ssmproof.ssm.program import LAG_PREFIX, SSM, Activation, Dense, Layer, Mode, refuse_smooth

__all__ = [
    "label", "dfa_to_dot", "ssm_to_dot", "CascadeLevel", "cascade_to_dot", "describe_cascade",
    "to_svg", "GraphvizError",
]

_LIST_MAX = 6  # names listed in a node or on an edge before "… (+k more)"


class GraphvizError(SsmproofError):
    """The ``dot`` binary is missing, or rejected the input."""


def label(s: str) -> str:
    r"""``s`` as a quoted DOT string for a ``label``: backslashes doubled (Graphviz would read
    ``\N`` or ``\G`` as escapes), quotes escaped, newlines as ``\n``, control characters as
    U+ and four hex digits.

    >>> print(label('a"b\\N'))
    "a\"b\\N"
    """
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(f"U+{ord(ch):04X}")
    return '"' + "".join(out) + '"'


def _names(items: Sequence[str], limit: int = _LIST_MAX) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", … (+{len(items) - limit} more)" if len(items) > limit else "")


def _graph(name: str, body: Iterable[str], attrs: Sequence[str]) -> str:
    lines = [f"digraph {label(name)} {{"] + [f"  {a};" for a in attrs]
    lines += [f"  {line}" for line in body]
    return "\n".join(lines) + "\n}\n"


# -------------------------------------------------------------------------------------- DFA
def dfa_to_dot(dfa: DFA, *, hide_dead: bool = False) -> str:
    """The DFA: named states, accepting states as double circles, a start arrow, and one edge per
    (source, target) pair labelled with all its symbols in alphabet order.

    Parameters
    ----------
    hide_dead : bool
        Leave out states from which no word is accepted (the rejecting sink) and the edges into
        them; the picture then shows a partial DFA, and the graph's label says so.

    Examples
    --------
    >>> d = DFA(("a", "b"), ("s", "t"), 0, frozenset({1}), ((1, 0), (1, 0)), "ends_in_a")
    >>> print(dfa_to_dot(d))  # doctest: +NORMALIZE_WHITESPACE
    digraph "ends_in_a" {
      rankdir=LR;
      node [shape=circle, fontname="Helvetica"];
      edge [fontname="Helvetica"];
      start [shape=point, label=""];
      q0 [label="s"];
      q1 [label="t", shape=doublecircle];
      start -> q0;
      q0 -> q1 [label="a"];
      q0 -> q0 [label="b"];
      q1 -> q1 [label="a"];
      q1 -> q0 [label="b"];
    }
    """
    keep = [q for q in range(len(dfa.states)) if not hide_dead or q in dfa.live or q == dfa.start]
    kept = set(keep)
    body = ['start [shape=point, label=""];']
    for q in keep:
        shape = ", shape=doublecircle" if q in dfa.accepting else ""
        body.append(f"q{q} [label={label(dfa.states[q])}{shape}];")
    body.append(f"start -> q{dfa.start};")
    for q in keep:
        targets: dict[int, list[str]] = {}
        for a, t in enumerate(dfa.delta[q]):
            if t in kept:
                targets.setdefault(t, []).append(dfa.alphabet[a])
        body += [f"q{q} -> q{t} [label={label(', '.join(syms))}];" for t, syms in targets.items()]
    attrs = ["rankdir=LR", 'node [shape=circle, fontname="Helvetica"]',
             'edge [fontname="Helvetica"]']
    if hide_dead and len(keep) < len(dfa.states):
        attrs.append(f"label={label('dead states hidden: missing edges reject')}")
    return _graph(dfa.name or "dfa", body, attrs)


# -------------------------------------------------------------------------------- SSM flow
@dataclass
class _Flow:
    """Which node writes each dim, and the edges gathered so far (consumer, producer → dims)."""

    producer: dict[str, str]
    edges: dict[tuple[str, str], list[str]]

    def reads(self, node: str, dims: Iterable[str]) -> None:
        for d in dims:
            src = self.producer.get(d)
            if src is not None and src != node:
                self.edges.setdefault((src, node), [])
                if d not in self.edges[(src, node)]:
                    self.edges[(src, node)].append(d)


def _row_dims(m: Mapping[str, Mapping[str, object]]) -> list[str]:
    return sorted({d for row in m.values() for d in row})


def _stack_text(kind: str, stack: Sequence[Dense]) -> str:
    widths = "→".join(str(len(d.out)) for d in stack)
    acts = "/".join(sorted({Activation(d.activation).value for d in stack}))
    return f"{kind} {widths} ({acts})\n→ " + _names(list(stack[-1].out))


def _layer_nodes(i: int, layer: Layer, flow: _Flow) -> list[str]:
    """The nodes of one layer's cluster, registering what they write and read."""
    p = f"L{i}"
    out = [f"subgraph cluster_{p} {{", f"  label={label(f'layer {i}: {layer.name}')};",
           '  style=rounded; color="#777777";']
    if layer.lag:
        text = "lag view u[t-1]\n" + _names(list(layer.lag))
        out.append(f"  {p}_lag [label={label(text)}];")
        flow.reads(f"{p}_lag", layer.lag)
        flow.producer.update({LAG_PREFIX + d: f"{p}_lag" for d in layer.lag})
    if layer.pre_mlp:
        out.append(f"  {p}_pre [label={label(_stack_text('pre-MLP', layer.pre_mlp))}];")
        flow.reads(f"{p}_pre", [d for dense in layer.pre_mlp for d in _row_dims(dense.weights)])
        flow.producer.update({d: f"{p}_pre" for dense in layer.pre_mlp for d in dense.out})
    if layer.state:
        text = f"h = a ⊙ h + b, d = {len(layer.state)}\n" + _names(list(layer.state))
        out.append(f"  {p}_rec [label={label(text)}, shape=box, style=bold];")
        flow.reads(f"{p}_rec", _row_dims(layer.gate) + _row_dims(layer.input))
        flow.producer.update({s: f"{p}_rec" for s in layer.state})
    if layer.mlp:
        out.append(f"  {p}_mlp [label={label(_stack_text('MLP', layer.mlp))}];")
        flow.reads(f"{p}_mlp", [d for dense in layer.mlp for d in _row_dims(dense.weights)])
        flow.producer.update({d: f"{p}_mlp" for dense in layer.mlp for d in dense.out})
    out.append("}")
    return out


def ssm_to_dot(ssm: SSM) -> str:
    """The data flow of a construction: embedding → layers → readouts.

    Each layer is a cluster with up to four nodes (lag view, pre-MLP, the recurrence with its
    state dims, MLP); an edge goes from the node that writes a dim to every node that reads it,
    labelled with the dims (the residual stream made visible). Readouts are the last nodes.

    Examples
    --------
    >>> from ssmproof import examples
    >>> text = ssm_to_dot(examples.contains_aa())
    >>> "L1_pre -> L1_rec" in text and "L1_rec -> accept" in text
    True
    """
    refuse_smooth(ssm, "the Graphviz view")
    emb_dims = sorted({d for row in ssm.embedding.values() for d in row})
    flow = _Flow({d: "embedding" for d in emb_dims}, {})
    emb_text = f"embedding ({len(ssm.alphabet)} symbols + BOS)\n" + _names(emb_dims)
    body = [f"embedding [label={label(emb_text)}, shape=box];"]
    for i, layer in enumerate(ssm.layers, start=1):
        body += _layer_nodes(i, layer, flow)
        for d in layer.export:
            flow.producer[d] = f"L{i}_rec"
    if ssm.accept is not None:
        body.append(f"accept [label={label('accept: r·u > 0')}, shape=doubleoctagon];")
        flow.reads("accept", sorted(ssm.accept))
    if ssm.next is not None:
        text = "next: r_σ·u > 0\nσ ∈ Σ ∪ {EOS}"
        body.append(f"next [label={label(text)}, shape=doubleoctagon];")
        flow.reads("next", _row_dims(ssm.next))
    for (src, dst), dims in flow.edges.items():
        body.append(f"{src} -> {dst} [label={label(_names(dims, 3))}];")
    attrs = ["rankdir=TB", 'node [shape=ellipse, fontname="Helvetica", fontsize=11]',
             'edge [fontname="Helvetica", fontsize=9]',
             f"label={label(f'{ssm.name} ({Mode(ssm.mode).value})')}", "labelloc=t"]
    return _graph(ssm.name, body, attrs)


# ---------------------------------------------------------------------------------- cascade
@dataclass(frozen=True)
class CascadeLevel:
    """What a cascade picture needs of one level: its name, state count (``*`` included) and the
    upper levels (1-based numbers) whose states its resets read."""

    name: str
    states: int
    reads: tuple[int, ...] = ()


def describe_cascade(cascade: cascade_mod.Cascade) -> tuple[CascadeLevel, ...]:
    """Levels of an :class:`ssmproof.algebra.cascade.Cascade` as :class:`CascadeLevel` values."""
    deps = cascade_mod.dependencies(cascade)
    return tuple(CascadeLevel(f"level {lv.number}", lv.size, tuple(sorted(deps[k])))
                 for k, lv in enumerate(cascade.levels))  # type: ignore[attr-defined]


def cascade_to_dot(levels: Sequence[CascadeLevel] | object, *, name: str = "cascade",
                   layers: Sequence[Sequence[int]] | None = None) -> str:
    """A cascade: the input, one node per level (states, bits), and an edge from each upper
    level to every level that reads it; ``layers`` (lists of 1-based level numbers) groups the
    levels into the SSM layers that run them. A Cascade object is described first.

    Examples
    --------
    >>> lv = [CascadeLevel("top", 3), CascadeLevel("bottom", 2, reads=(1,))]
    >>> text = cascade_to_dot(lv, layers=[[1], [2]])
    >>> "level1 -> level2" in text and text.count("input ->") == 2
    True
    """
    if not isinstance(levels, Sequence):
        levels = describe_cascade(levels)
    body = [f"input [label={label('input symbol σ')}, shape=plaintext];"]
    for k, group in enumerate(layers or (), start=1):
        body.append(f"subgraph cluster_layer{k} {{ label={label(f'SSM layer {k}')}; "
                    'style=rounded; color="#777777"; '
                    + " ".join(f"level{n};" for n in group) + " }")
    for n, lv in enumerate(levels, start=1):
        bits = max(lv.states - 1, 0).bit_length()
        text = f"{lv.name}\n{lv.states} states ({bits} bit{'s' if bits != 1 else ''})"
        body.append(f"level{n} [label={label(text)}];")
        body.append(f"input -> level{n};")
        for up in lv.reads:
            if not 1 <= up < n:
                raise ValueError(f"{lv.name} reads level {up}: a level reads only levels above it")
            body.append(f"level{up} -> level{n} [label={label('reads')}];")
    attrs = ["rankdir=TB", 'node [shape=box, style=rounded, fontname="Helvetica"]',
             'edge [fontname="Helvetica", fontsize=9]']
    return _graph(name, body, attrs)


# -------------------------------------------------------------------------------------- SVG
def to_svg(dot_text: str, *, dot: str = "dot", timeout: float = 60.0) -> str:
    """Lay out DOT text with Graphviz and return the SVG.

    Raises :class:`GraphvizError` when the ``dot`` binary is missing (install the ``graphviz``
    package) or rejects the input (its message is quoted).
    """
    exe = shutil.which(dot)
    if exe is None:
        raise GraphvizError(f"{dot}: Graphviz is not installed; install it (apt-get install "
                            "graphviz) or use the DOT text as it is")
    try:
        proc = subprocess.run([exe, "-Tsvg"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"{dot}: layout took longer than {timeout:g} s") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(f"{dot}: Graphviz rejected the graph: {msg[0] if msg else '?'}")
    return proc.stdout.decode("utf-8")
