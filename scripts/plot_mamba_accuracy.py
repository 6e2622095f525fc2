"""Accuracy vs length of the committed star-free Mamba, beside what ``verify`` finds.

Usage (from the repository root; needs the torch extra; a few minutes on one core)::

    .venv/bin/python scripts/plot_mamba_accuracy.py   # -> docs/mamba_tomita4_accuracy.png

Two curves: the accuracy of the original torch module (float32, and bfloat16 under autocast)
on 400 uniform random words per length, judged by the language's own DFA. Beside them, what
``verify`` proves about the *imported* model (``ssmproof import-torch``) under float32: an
exhaustive check of every word up to ``--exhaustive`` symbols, and a random check of
``--random`` words up to the plot's longest length, whose shortest counterexample (if any) is
marked. Prints every number it plots.
"""

from __future__ import annotations

import argparse
import random
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from ssmproof import atomic  # noqa: E402
from ssmproof.lang import api as lang_api  # noqa: E402
from ssmproof.torch import mamba, mamba_import  # noqa: E402
from ssmproof.verify.api import verify  # noqa: E402

LENGTHS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128)


def module_accuracy(data: dict, lang: object, length: int, dtype: torch.dtype, seed: int,
                    n: int = 400) -> float:
    """Share of ``n`` random words of ``length`` the module classifies as the language does."""
    rng = random.Random(seed)
    alphabet = data["alphabet"]
    words = [[rng.choice(alphabet) for _ in range(length)] for _ in range(n)]
    model = mamba.build(data)
    tokens = mamba.encode(alphabet, words)
    with torch.no_grad():
        if dtype == torch.bfloat16:
            with torch.autocast("cpu", dtype=dtype):
                logits = model(tokens)[:, -1]
        else:
            logits = model(tokens)[:, -1]
    got = (logits.float() > 0).tolist()
    return sum(g == lang.accepts(w) for g, w in zip(got, words)) / n  # type: ignore


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", default="examples/mamba/tomita4_mamba.pt")
    p.add_argument("--language", default="tomita:4")
    p.add_argument("--exhaustive", type=int, default=8)
    p.add_argument("--random", type=int, default=100)
    p.add_argument("-o", "--output", default="docs/mamba_tomita4_accuracy.png")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    data = mamba.load_checkpoint(args.checkpoint)
    lang = lang_api.load(args.language)
    rows = [(n, module_accuracy(data, lang, n, torch.float32, seed=n),
             module_accuracy(data, lang, n, torch.bfloat16, seed=n)) for n in LENGTHS]
    for n, a32, a16 in rows:
        print(f"length {n:4d}: module float32 {a32:.4f}, bfloat16 (autocast) {a16:.4f}")
    ssm = mamba_import.to_ssm(data, path=args.checkpoint)
    ex = verify(ssm, lang, fmt="float32", exhaustive=args.exhaustive)
    rnd = verify(ssm, lang, fmt="float32", random=args.random, max_length=max(LENGTHS))
    print(f"verify --exhaustive {args.exhaustive} --format float32: holds={ex.holds}, "
          f"{ex.strings_checked} words, counterexample {ex.counterexample}")
    print(f"verify --random {args.random} --max-length {max(LENGTHS)} --format float32: "
          f"holds={rnd.holds}, counterexample length "
          f"{None if rnd.counterexample is None else len(rnd.counterexample)}")
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(LENGTHS, [r[1] for r in rows], "o-", label="torch module, float32")
    ax.plot(LENGTHS, [r[2] for r in rows], "s--", label="torch module, bfloat16 (autocast)")
    verdict = "holds" if ex.holds else f"fails at {ex.counterexample}"
    ax.axvspan(0, args.exhaustive, color="tab:green", alpha=0.15,
               label=f"verify --exhaustive {args.exhaustive} (float32): {verdict}")
    if rnd.counterexample is not None:
        ax.axvline(len(rnd.counterexample), color="tab:red", linestyle=":",
                   label=f"verify --random {args.random}: shortest counterexample found")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("word length")
    ax.set_ylabel(f"accuracy on {args.language} (400 random words)")
    ax.set_title(f"{args.checkpoint.rsplit('/', 1)[-1]}: accuracy vs length")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    atomic.write_bytes(args.output, buf.getvalue())
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
