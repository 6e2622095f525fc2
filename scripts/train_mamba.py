"""Train the small Mamba-1 recognizers ssmproof ships as test data (CPU, fixed seed).

Usage (from the repository root; needs the torch extra)::

    .venv/bin/python scripts/train_mamba.py parity --max-length 8 --lr 0.01  # -> examples/mamba/parity_mamba.pt
    .venv/bin/python scripts/train_mamba.py tomita:4  # -> examples/mamba/tomita4_mamba.pt

The model is :class:`ssmproof.torch.mamba.MambaRecognizer` (mambapy's Mamba-1 blocks, one
logit per position). Every position of a random word is labelled with the membership of the
prefix read so far, by the language's own minimal DFA (the oracle DESIGN §4 uses), so one word of
length L gives L + 1 examples. Training words have lengths 1…``--max-length``; one thread,
seeded torch and numpy, a fixed number of steps: the same command gives the same weights on the
same torch build. Prints the training time, and the accuracy (all positions) of the final model
on fresh words of the training lengths and of twice and four times that length.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import torch

from ssmproof.lang import api as lang_api
from ssmproof.lang import dfa as dfas
from ssmproof.torch import mamba

CONFIG = {"d_model": 8, "n_layers": 1, "d_state": 4, "expand_factor": 2, "d_conv": 4,
          "pscan": True}


def _prefix_labels(dfa: object, ids: np.ndarray) -> np.ndarray:
    """Membership of every prefix (BOS = the empty prefix) of each row of symbol ids."""
    delta = np.array(dfa.delta)  # type: ignore[attr-defined]
    accepting = np.zeros(len(delta), dtype=bool)
    accepting[list(dfa.accepting)] = True  # type: ignore[attr-defined]
    q = np.full(ids.shape[0], dfa.start)  # type: ignore[attr-defined]
    out = [accepting[q]]
    for t in range(ids.shape[1]):
        q = delta[q, ids[:, t]]
        out.append(accepting[q])
    return np.stack(out, axis=1)


def batch(dfa: object, rng: np.random.Generator, size: int, length: int
          ) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids (BOS = 0) and prefix labels of ``size`` uniform words of one length."""
    k = len(dfa.alphabet)  # type: ignore[attr-defined]
    ids = rng.integers(0, k, size=(size, length))
    tokens = torch.from_numpy(np.concatenate([np.zeros((size, 1), int), ids + 1], axis=1))
    return tokens, torch.from_numpy(_prefix_labels(dfa, ids)).float()


def accuracy(model: torch.nn.Module, dfa: object, length: int, seed: int, n: int = 512) -> float:
    rng = np.random.default_rng(seed)
    tokens, labels = batch(dfa, rng, n, length)
    with torch.no_grad():
        pred = model(tokens) > 0
    return float((pred == labels.bool()).float().mean())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("language", help="a zoo name or spec file (parity, tomita:4, ...)")
    p.add_argument("-o", "--output", help="checkpoint path (default models/<name>_mamba.pt)")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--max-length", type=int, default=16)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    lang = lang_api.load(args.language)
    dfa = lang if isinstance(lang, dfas.DFA) else dfas.from_language(lang)
    model = mamba.MambaRecognizer(dfa.alphabet, CONFIG)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    for step in range(args.steps):
        tokens, labels = batch(dfa, rng, args.batch, int(rng.integers(1, args.max_length + 1)))
        loss = loss_fn(model(tokens), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 200 == 0:
            print(f"step {step:5d}  loss {loss.item():.4f}", file=sys.stderr)
    seconds = time.perf_counter() - start
    model.eval()
    lengths = (args.max_length, 2 * args.max_length, 4 * args.max_length)
    acc = {n: accuracy(model, dfa, n, seed=10_000 + n) for n in lengths}
    name = args.language.replace(":", "").replace("/", "_")
    out = args.output or f"examples/mamba/{name}_mamba.pt"
    facts = {"steps": args.steps, "max_length": args.max_length, "batch": args.batch,
             "lr": args.lr, "seed": args.seed, "torch": torch.__version__,
             "train_seconds": round(seconds, 1),
             "accuracy_all_positions": {str(n): round(a, 4) for n, a in acc.items()}}
    mamba.save(model, out, language=args.language, training=facts)
    print(f"{args.language}: trained {args.steps} steps in {seconds:.1f} s; accuracy at every "
          "position of 512 fresh words of length " +
          ", ".join(f"{n}: {a:.3f}" for n, a in acc.items()) + f"; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
