"""The pictures of a sweep (PNG, matplotlib's non-interactive Agg backend).

- ``dims_layers_vs_states.png``: state dims and layers of each construction against the size of
  the language's minimal DFA, coloured by the gate class the language needs;
- ``time_vs_configurations.png``: seconds per task against the configurations its proof explored
  (log–log), coloured by outcome;
- ``outcome_by_class.png``: how many tasks ended in each outcome, per gate class needed.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ssmproof.sweep.results import class_of
from ssmproof.sweep.tasks import OUTCOMES

__all__ = ["write_plots", "PLOTS"]

PLOTS = ("dims_layers_vs_states.png", "time_vs_configurations.png", "outcome_by_class.png")

_OUTCOME_COLOURS = {"holds": "tab:green", "fails": "tab:red", "inconclusive": "tab:orange",
                    "refused": "tab:gray", "error": "black"}
_CLASS_MARKERS = {"nonnegative": "o", "signed": "s", "complex": "^", "beyond diagonal": "x",
                  "unknown": "+", "not regular": "d"}


def write_plots(rows: Sequence[dict[str, Any]], out: str) -> list[str]:
    """Draw the three plots into ``out`` (atomically); return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    paths = []
    for name, draw in zip(PLOTS, (_dims_layers, _time_configs, _outcomes), strict=True):
        path = os.path.join(out, name)
        _save(draw(rows), path)
        paths.append(path)
    return paths


def _save(fig: Any, path: str) -> None:
    import io

    import matplotlib.pyplot as plt

    from ssmproof import atomic  # keeps start-up light

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    atomic.write_bytes(path, buffer.getvalue())


def _jitter(i: int) -> float:
    return ((i * 0.6180339887) % 1.0 - 0.5) * 0.3  # deterministic, so the PNG is reproducible


def _dims_layers(rows: Sequence[dict[str, Any]]) -> Any:
    import matplotlib.pyplot as plt

    built = {(r["language"], r["mode"], r["gates"]): r for r in rows if r["layers"] is not None}
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, column, label in ((axes[0], "state_dims", "state dims"), (axes[1], "layers", "layers")):
        for cls, marker in _CLASS_MARKERS.items():
            pts = [r for r in built.values() if class_of(r) == cls and r["states"] is not None]
            if pts:
                ax.scatter([r["states"] + _jitter(i) for i, r in enumerate(pts)],
                           [r[column] for r in pts], marker=marker, alpha=0.6, label=cls)
        ax.set_xlabel("minimal DFA states")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(title="gates needed", fontsize=8)
    fig.suptitle(f"Construction size vs automaton size ({len(built)} constructions)")
    fig.tight_layout()
    return fig


def _time_configs(rows: Sequence[dict[str, Any]]) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5))
    for outcome in OUTCOMES:
        pts = [r for r in rows if r["outcome"] == outcome and r["configurations"]]
        if pts:
            ax.scatter([r["configurations"] for r in pts], [max(r["seconds"], 1e-3) for r in pts],
                       color=_OUTCOME_COLOURS[outcome], alpha=0.6, label=outcome)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("configurations explored by prove")
    ax.set_ylabel("task seconds (classify + compile + prove)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    ax.set_title("Proof time vs configurations")
    fig.tight_layout()
    return fig


def _outcomes(rows: Sequence[dict[str, Any]]) -> Any:
    import matplotlib.pyplot as plt

    counts: dict[str, Counter[str]] = {}
    for r in rows:
        counts.setdefault(class_of(r), Counter())[r["outcome"]] += 1
    classes = [c for c in _CLASS_MARKERS if c in counts] + sorted(set(counts) - set(_CLASS_MARKERS))
    fig, ax = plt.subplots(figsize=(6, 4.5))
    bottom = [0] * len(classes)
    for outcome in OUTCOMES:
        heights = [counts[c].get(outcome, 0) for c in classes]
        if any(heights):
            ax.bar(classes, heights, bottom=bottom, color=_OUTCOME_COLOURS[outcome], label=outcome)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xlabel("gate class the language needs")
    ax.set_ylabel("tasks")
    ax.legend(fontsize=8)
    ax.set_title("Outcome by class")
    fig.tight_layout()
    return fig
