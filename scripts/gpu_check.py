"""Every gallery construction as a torch module on a GPU, in bfloat16 and float32, against the
simulator: agreement, and tokens/s beside the CPU simulator's.

For each construction and format: a batch of ``--words`` random words (lengths log-uniform in
1..``--max-length``, seeded) runs through the module's parallel scan in chunks; the module's
``inexact``/``nonfinite`` flags are counted over the whole batch; the decisions at *every*
position and the final states of a seeded sample of ``--compare`` words are compared with the
batched CPU simulator (:func:`ssmproof.sim.batched.simulate_batch`, equal to Machine by its own
tests), whose tokens/s is measured on that sample.

    python scripts/gpu_check.py                      # on a CUDA machine, under 5 minutes
    python scripts/gpu_check.py --device cpu --small # what the test suite runs

Prints one line per (construction, format) and a total; exit 1 if any compared word disagrees
or any word was flagged, else 0.
"""

from __future__ import annotations

import argparse
import glob
import math
import random
import sys
import time
from collections.abc import Sequence

import torch

from ssmproof.sim import batched
from ssmproof.ssm import jsonio
from ssmproof.torch.module import SSMModule, encode_words, to_module

FORMATS = ("bfloat16", "float32")


def gallery(root: str = "constructions") -> list[str]:
    return sorted(p for p in glob.glob(f"{root}/*/*.json")
                  if not p.endswith((".cert.json", "classification.json", "MANIFEST.json")))


def random_words(alphabet: Sequence[str], count: int, max_length: int, seed: int
                 ) -> list[tuple[str, ...]]:
    """Seeded words, lengths log-uniform in 1..max_length (long words without only long ones)."""
    rng = random.Random(seed)
    top = math.log(max_length + 1)
    return [tuple(rng.choice(alphabet) for _ in range(int(math.exp(rng.uniform(0, top)))))
            for _ in range(count)]


def run_module(module: SSMModule, words: list[tuple[str, ...]], device: str, chunk_tokens: int
               ) -> tuple[dict[int, tuple[list, list]], int, float]:
    """Run all words (sorted by length, chunked); per word index its decisions and final
    states; the number of flagged words; seconds spent (synchronised)."""
    order = sorted(range(len(words)), key=lambda i: len(words[i]))
    results: dict[int, tuple[list, list]] = {}
    flagged, spent, start = 0, 0.0, 0
    while start < len(order):
        width = len(words[order[min(start, len(order) - 1)]]) + 1
        take = max(1, chunk_tokens // width)
        idx = order[start:start + take]
        width = max(len(words[i]) for i in idx)
        symbols = encode_words(module, [words[i] for i in idx], device=device)
        _sync(device)
        t0 = time.perf_counter()
        with torch.no_grad():
            out = module(symbols, scan=True)
        _sync(device)
        spent += time.perf_counter() - t0
        for k, i in enumerate(idx):
            n = len(words[i]) + 1
            flagged += int(bool(out.inexact[k, :n].any() or out.nonfinite[k, :n].any()))
            results[i] = (out.decisions[k, :n].cpu(),
                          [s[k, n - 1].double().cpu() for s in out.states])
        start += len(idx)
        del width
    return results, flagged, spent


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def compare(ssm: object, fmt: str, words: list[tuple[str, ...]], sample: list[int],
            results: dict[int, tuple[list, list]]) -> tuple[int, float]:
    """Words of the sample that disagree with the simulator, and the simulator's seconds."""
    t0 = time.perf_counter()
    run = batched.simulate_batch(ssm, [words[i] for i in sample], fmt=fmt, configs=True)
    spent = time.perf_counter() - t0
    bad = 0
    n_states = ssm.state_dims  # type: ignore[attr-defined]
    for k, i in enumerate(sample):
        decisions, states = results[i]
        want = run.decisions[k]
        got = [tuple(bool(x) for x in row) for row in decisions.tolist()]
        ok = want is not None and got == [tuple(d) for d in want]
        if ok and n_states:
            final = torch.cat(states).tolist()
            ok = final == [float(v) for v in run.configs[k][:n_states]]  # type: ignore[index]
        bad += int(not ok)
    return bad, spent


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="cuda")
    p.add_argument("--small", action="store_true",
                   help="200 words up to length 200, 50 compared, 3 constructions (for CPU)")
    p.add_argument("--words", type=int, default=100_000)
    p.add_argument("--max-length", type=int, default=10_000)
    p.add_argument("--compare", type=int, default=300, help="words compared with the simulator")
    p.add_argument("--chunk-tokens", type=int, default=4_000_000,
                   help="padded tokens per module call (memory: about 8 bytes x stream dims each)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--only", nargs="*", help="construction paths (default: the whole gallery)")
    args = p.parse_args(argv)
    if args.small:
        args.words = min(args.words, 200)
        args.max_length, args.compare = 200, min(args.words, 50)
        args.chunk_tokens = min(args.chunk_tokens, 20_000)
    paths = args.only or gallery()
    if args.small and not args.only:
        paths = paths[:3]
    device = args.device
    print(f"device {device} ({torch.cuda.get_device_name() if device.startswith('cuda') else 'cpu'})"
          f", torch {torch.__version__}; {args.words} words up to length {args.max_length} per "
          f"construction and format, {args.compare} compared with the simulator")
    failures = 0
    total_tokens, total_module, total_sim_tokens, total_sim = 0, 0.0, 0, 0.0
    for path in paths:
        ssm = jsonio.load(path)
        words = random_words(ssm.alphabet, args.words, args.max_length, args.seed)
        sample = random.Random(args.seed + 1).sample(range(len(words)),
                                                     min(args.compare, len(words)))
        tokens = sum(len(w) + 1 for w in words)
        sim_tokens = sum(len(words[i]) + 1 for i in sample)
        for fmt in FORMATS:
            module = to_module(ssm, fmt).to(device)
            results, flagged, spent = run_module(module, words, device, args.chunk_tokens)
            bad, sim_spent = compare(ssm, fmt, words, sample, results)
            failures += bad + flagged
            total_tokens += tokens
            total_module += spent
            total_sim_tokens += sim_tokens
            total_sim += sim_spent
            print(f"{path.removeprefix('constructions/'):48s} {fmt:8s} "
                  f"agree {len(sample) - bad}/{len(sample)}  flagged {flagged}/{len(words)}  "
                  f"module {tokens / spent:12,.0f} tok/s  simulator {sim_tokens / sim_spent:10,.0f}"
                  f" tok/s", flush=True)
    print(f"total: module {total_tokens / total_module:,.0f} tok/s on {device}, CPU simulator "
          f"{total_sim_tokens / total_sim:,.0f} tok/s; "
          f"{'all agree' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
