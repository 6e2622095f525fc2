"""The size of a construction (layers, state dims, widest MLP, nonzero weights).

A property of the model alone, so it lives beside it: the compiler reports it and the star-free
route sizes its exploration budget by it, and neither has to import the other for it.
"""

from __future__ import annotations

from ssmproof.ssm.program import SSM, Dense

__all__ = ["stats"]


def stats(ssm: SSM) -> dict[str, int]:
    """Size of a construction: layers, state dims, widest MLP map, nonzero weights.

    ``nonzero_weights`` counts every nonzero entry of gates, inputs, initial states, pre-MLPs,
    MLPs (weights and biases) and readouts — not the embedding.

    Examples
    --------
    >>> from ssmproof import examples
    >>> stats(examples.parity_signed())
    {'layers': 1, 'state_dims': 1, 'mlp_width': 0, 'nonzero_weights': 5}
    """
    denses = [d for layer in ssm.layers for d in (*layer.pre_mlp, *layer.mlp)]
    rows = [r for layer in ssm.layers for m in (layer.gate, layer.input) for r in m.values()]
    rows += [layer.init for layer in ssm.layers]
    dense = [d for d in denses if isinstance(d, Dense)]  # product maps carry no weights
    rows += [r for d in dense for r in d.weights.values()] + [d.bias for d in dense]
    rows += [ssm.accept or {}] + list((ssm.next or {}).values())
    nonzero = sum(1 for row in rows for w in row.values() if isinstance(w, str) or w != 0)
    return {"layers": len(ssm.layers), "state_dims": ssm.state_dims,
            "mlp_width": max((len(d.out) for d in denses), default=0),
            "nonzero_weights": nonzero}
