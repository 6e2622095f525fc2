"""A trained Mamba-1 checkpoint → an ssmproof model (format ``ssmproof-ssm/3``).

Every float32 weight is an exact binary rational, so the model holds the trained weights
*exactly*; what differs from PyTorch is only the arithmetic, which the simulator fixes by
DESIGN §3's rule (each coordinate computed exactly and rounded once; smooth activations correctly
rounded, :mod:`ssmproof.numerics.activations`). The refutation argument needs nothing else: the
gate exp(Δ·A) is ≥ 0 by construction, and everything around the recurrence is position-wise.

Per Mamba block ``B{i}`` (mambapy's parametrisation, ``ssmproof.torch.mamba``):

- a position-wise layer ``B{i}.in``: RMSNorm (``sq = x·x``, ``ms = Σ sq / D + ε``,
  ``r = rsqrt(ms)``, ``xr = x·r``, ``xn = w ⊙ xr``) then ``in_proj`` → ``B{i}.xin``, ``B{i}.z``;
- for a convolution of width K > 2, K − 2 copy layers ``B{i}.lag{j}`` that delay ``xin`` by
  one more position each (DESIGN's lag view reads one position back);
- the recurrent layer ``B{i}``: conv1d + SiLU → ``xc``; ``x_proj`` → Δ-rank, B, C; ``dt_proj``
  + softplus → Δ; ``exp(A·Δ)`` → the gate; ``Δ·B`` then ``·x`` → the input; state ``h[e,n]``;
  its MLP: ``q = h·C``, ``y = Σ_n q + D·x``, ``silu(z)``, ``y·silu(z)``, ``out_proj``, residual.

Then ``F``: the final RMSNorm; the readout ``accept`` is the head (weights and bias).
A is taken as the module computes it, −exp(A_log) in float32, so both sides use the same A.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import torch

from ssmproof.errors import SsmproofError
from ssmproof.ssm.program import BOS, ONE, SSM, Activation, Dense, Layer, Map, Mode, Product
from ssmproof.ssm.validate import validate

__all__ = ["to_ssm"]

_Rows = dict[str, dict[str, Fraction]]


class _Weights:
    """The checkpoint's tensors as exact rationals, with shape checks that name the key."""

    def __init__(self, state: Mapping[str, Any], path: str) -> None:
        self.state, self.path = state, path

    def get(self, key: str, shape: tuple[int, ...]) -> list[Any]:
        t = self.state.get(key)
        if not isinstance(t, torch.Tensor):
            raise SsmproofError(f"{self.path}: state_dict.{key}: missing; the checkpoint is not "
                                "a Mamba-1 recognizer of this configuration")
        if tuple(t.shape) != shape:
            raise SsmproofError(f"{self.path}: state_dict.{key}: shape {tuple(t.shape)}, "
                                f"expected {shape} from the checkpoint's config; fix the config")
        if not torch.isfinite(t).all():
            raise SsmproofError(f"{self.path}: state_dict.{key}: holds inf or nan; retrain")
        return _exact(t.detach().to(torch.float64).tolist())


def _exact(x: Any) -> Any:
    """A nested list of float64 values (each exactly the float32 weight) as Fractions."""
    if isinstance(x, list):
        return [_exact(v) for v in x]
    f = Fraction(x)
    return f.numerator if f.denominator == 1 else f


def _config(data: Mapping[str, Any], path: str) -> dict[str, Any]:
    cfg = dict(data["config"])
    for key in ("d_model", "n_layers", "d_state", "expand_factor", "d_conv"):
        if not isinstance(cfg.get(key), int) or cfg[key] < 1:
            raise SsmproofError(f"{path}: config.{key}: missing or not a positive integer")
    if cfg["d_conv"] < 2:
        raise SsmproofError(f"{path}: config.d_conv: {cfg['d_conv']}; Mamba's conv1d has "
                            "width >= 2")
    for flag in ("inner_layernorms", "mup"):
        if cfg.get(flag):
            raise SsmproofError(f"{path}: config.{flag}: true is not supported (mambapy's "
                                f"{flag} changes the block); import a model trained without it")
    cfg.setdefault("dt_rank", "auto")
    if cfg["dt_rank"] == "auto":
        cfg["dt_rank"] = -(-cfg["d_model"] // 16)
    cfg.setdefault("rms_norm_eps", 1e-5)
    cfg.setdefault("bias", False)
    cfg.setdefault("conv_bias", True)
    return cfg


def to_ssm(data: Mapping[str, Any], *, path: str = "<checkpoint>", name: str | None = None
           ) -> SSM:
    """The ssmproof model of a loaded ``ssmproof-mamba/1`` checkpoint (``arch`` ``mamba1``).

    Raises :class:`~ssmproof.errors.SsmproofError` naming the file and key on a missing or
    misshapen tensor or an unsupported configuration.
    """
    if data.get("arch") != "mamba1":
        raise SsmproofError(f"{path}: arch: '{data.get('arch')}' is not supported; only "
                            "mamba1 (Mamba-1 blocks as in mambapy)")
    cfg = _config(data, path)
    alphabet = tuple(str(s) for s in data["alphabet"])
    w = _Weights(data["state_dict"], path)
    d = cfg["d_model"]
    emb = w.get("embedding.weight", (len(alphabet) + 1, d))
    x = [f"x0[{k}]" for k in range(d)]
    embedding = {tok: {**{x[k]: emb[t][k] for k in range(d)}, ONE: 1}
                 for t, tok in enumerate((BOS, *alphabet))}
    layers: list[Layer] = []
    eps = Fraction(float(torch.tensor(cfg["rms_norm_eps"], dtype=torch.float32)))
    for i in range(cfg["n_layers"]):
        block = _Block(w, cfg, i, eps)
        layers += block.layers(x)
        x = block.out
    norm = _rms_norm("F", x, w.get("norm_f.weight", (d,)), eps)
    layers.append(Layer("F", (), {}, {}, mlp=norm))
    head = w.get("head.weight", (1, d))[0]
    bias = w.get("head.bias", (1,))[0]
    accept = {**{f"F.xn[{k}]": head[k] for k in range(d)}, ONE: bias}
    ssm = SSM(name or str(data.get("language") or "mamba"), Mode.RECOGNIZE, alphabet, embedding,
              tuple(layers), accept=accept,
              metadata={"source": {"arch": "mamba1", "config": {k: cfg[k] for k in sorted(cfg)},
                                   "language": data.get("language")}})
    validate(ssm, path)
    return ssm


def _rms_norm(p: str, x: list[str], weight: list[Any], eps: Fraction) -> tuple[Map, ...]:
    """mambapy's RMSNorm, x · rsqrt(mean(x²) + ε) · w, as maps writing ``{p}.xn[k]``."""
    d = len(x)
    sq = [f"{p}.sq[{k}]" for k in range(d)]
    xr = [f"{p}.xr[{k}]" for k in range(d)]
    return (
        Product(tuple(sq), {sq[k]: (x[k], x[k]) for k in range(d)}),
        Dense((f"{p}.ms",), {f"{p}.ms": {s: Fraction(1, d) for s in sq}}, {f"{p}.ms": eps},
              Activation.LINEAR),
        Dense((f"{p}.r",), {f"{p}.r": {f"{p}.ms": 1}}, activation=Activation.RSQRT),
        Product(tuple(xr), {xr[k]: (x[k], f"{p}.r") for k in range(d)}),
        Dense(tuple(f"{p}.xn[{k}]" for k in range(d)),
              {f"{p}.xn[{k}]": {xr[k]: weight[k]} for k in range(d)}, activation=Activation.LINEAR),
    )


class _Block:
    """One Mamba-1 residual block as ssmproof layers (see the module docstring)."""

    def __init__(self, w: _Weights, cfg: Mapping[str, Any], i: int, eps: Fraction) -> None:
        self.w, self.cfg, self.eps = w, cfg, eps
        self.p = f"B{i + 1}"
        self.key = f"mamba.layers.{i}."
        self.d, self.n, self.r = cfg["d_model"], cfg["d_state"], cfg["dt_rank"]
        self.e = cfg["expand_factor"] * cfg["d_model"]
        self.k = cfg["d_conv"]
        self.out = [f"x{i + 1}[{k}]" for k in range(self.d)]

    def t(self, name: str, shape: tuple[int, ...]) -> list[Any]:
        return self.w.get(self.key + name, shape)

    def dims(self, stem: str, n: int) -> list[str]:
        return [f"{self.p}.{stem}[{j}]" for j in range(n)]

    def layers(self, x: list[str]) -> list[Layer]:
        p, e, d = self.p, self.e, self.d
        norm = _rms_norm(f"{p}.norm", x, self.t("norm.weight", (d,)), self.eps)
        w_in = self.t("mixer.in_proj.weight", (2 * e, d))
        b_in = self.t("mixer.in_proj.bias", (2 * e,)) if self.cfg["bias"] else [0] * (2 * e)
        xin, z = self.dims("xin", e), self.dims("z", e)
        xn = [f"{p}.norm.xn[{k}]" for k in range(d)]
        outs = xin + z
        proj = Dense(tuple(outs), {o: {xn[k]: w_in[j][k] for k in range(d)}
                                   for j, o in enumerate(outs)},
                     {o: b_in[j] for j, o in enumerate(outs)}, Activation.LINEAR)
        out = [Layer(f"{p}.in", (), {}, {}, mlp=(*norm, proj))]
        delayed = [xin]  # delayed[m] holds xin from m positions back, read through `prev:`
        for j in range(1, self.k - 1):
            src, dst = delayed[-1], self.dims(f"xin~{j}", e)
            copy = Dense(tuple(dst), {dst[c]: {"prev:" + src[c]: 1} for c in range(e)},
                         activation=Activation.LINEAR)
            out.append(Layer(f"{p}.lag{j}", (), {}, {}, lag=tuple(src), mlp=(copy,)))
            delayed.append(dst)
        out.append(self.recurrent(x, delayed, z))
        return out

    def recurrent(self, x: list[str], delayed: list[list[str]], z: list[str]) -> Layer:
        p, e, n, r, k = self.p, self.e, self.n, self.r, self.k
        conv = self.t("mixer.conv1d.weight", (e, 1, k))
        cb = self.t("mixer.conv1d.bias", (e,)) if self.cfg["conv_bias"] else [0] * e
        xc = self.dims("xc", e)
        rows: _Rows = {}
        for c in range(e):
            row = {delayed[0][c]: conv[c][0][k - 1]}
            for m in range(1, k):  # x[t - m] is prev: of the (m−1)-times delayed copy
                row["prev:" + delayed[m - 1][c]] = conv[c][0][k - 1 - m]
            rows[xc[c]] = row
        pre: list[Map] = [Dense(tuple(xc), rows, {xc[c]: cb[c] for c in range(e)},
                                Activation.SILU)]
        wx = self.t("mixer.x_proj.weight", (r + 2 * n, e))
        dt, bb, cc = self.dims("dt", r), self.dims("Bsel", n), self.dims("Csel", n)
        sel = dt + bb + cc
        pre.append(Dense(tuple(sel), {o: {xc[c]: wx[j][c] for c in range(e)}
                                      for j, o in enumerate(sel)}, activation=Activation.LINEAR))
        wdt, bdt = self.t("mixer.dt_proj.weight", (e, r)), self.t("mixer.dt_proj.bias", (e,))
        delta = self.dims("delta", e)
        pre.append(Dense(tuple(delta), {delta[c]: {dt[j]: wdt[c][j] for j in range(r)}
                                        for c in range(e)},
                         {delta[c]: bdt[c] for c in range(e)}, Activation.SOFTPLUS))
        a_log = self.w.state[self.key + "mixer.A_log"]
        self.t("mixer.A_log", (e, n))
        a = _exact((-torch.exp(a_log.float())).to(torch.float64).tolist())  # as mambapy does
        pairs = [(c, j) for c in range(e) for j in range(n)]
        en = [f"[{c},{j}]" for c, j in pairs]
        g0, db, u0 = ([f"{p}.{s}{ix}" for ix in en] for s in ("expdA", "dB", "dBx"))
        pre.append(Dense(tuple(g0), {g0[q]: {delta[c]: a[c][j]} for q, (c, j) in enumerate(pairs)},
                         activation=Activation.EXP))
        pre.append(Product(tuple(db), {db[q]: (delta[c], bb[j]) for q, (c, j) in enumerate(pairs)}))
        pre.append(Product(tuple(u0), {u0[q]: (db[q], xc[c]) for q, (c, _) in enumerate(pairs)}))
        # DESIGN §2: gate, input and MLP read the *last* pre-MLP map; it passes these through
        # unchanged (a value of the format rounds to itself).
        g, u = [f"{p}.gate{ix}" for ix in en], [f"{p}.u{ix}" for ix in en]
        xs, cs = self.dims("x", e), self.dims("C", n)
        passed = list(zip(g, g0)) + list(zip(u, u0)) + list(zip(xs, xc)) + list(zip(cs, cc))
        pre.append(Dense(tuple(o for o, _ in passed), {o: {s: 1} for o, s in passed},
                         activation=Activation.LINEAR))
        h = [f"{p}.h{ix}" for ix in en]
        return Layer(p, tuple(h), {h[q]: {g[q]: 1} for q in range(len(h))},
                     {h[q]: {u[q]: 1} for q in range(len(h))},
                     lag=tuple(dim for dims in delayed for dim in dims), pre_mlp=tuple(pre),
                     mlp=self.mixer_out(x, h, pairs, xs, cs, z))

    def mixer_out(self, x: list[str], h: list[str], pairs: list[tuple[int, int]],
                  xs: list[str], cs: list[str], z: list[str]) -> tuple[Map, ...]:
        p, e, d = self.p, self.e, self.d
        dd = self.t("mixer.D", (e,))
        q = [f"{p}.hC[{c},{j}]" for c, j in pairs]
        y, zs, gy, o = self.dims("y", e), self.dims("silu_z", e), self.dims("gated", e), \
            self.dims("o", d)
        rows_y: _Rows = {y[c]: {xs[c]: dd[c]} for c in range(e)}
        for m, (c, _) in enumerate(pairs):
            rows_y[y[c]][q[m]] = 1
        wo = self.t("mixer.out_proj.weight", (d, e))
        bo = self.t("mixer.out_proj.bias", (d,)) if self.cfg["bias"] else [0] * d
        return (
            Product(tuple(q), {q[m]: (h[m], cs[j]) for m, (_, j) in enumerate(pairs)}),
            Dense(tuple(y), rows_y, activation=Activation.LINEAR),
            Dense(tuple(zs), {zs[c]: {z[c]: 1} for c in range(e)}, activation=Activation.SILU),
            Product(tuple(gy), {gy[c]: (y[c], zs[c]) for c in range(e)}),
            Dense(tuple(o), {o[k]: {gy[c]: wo[k][c] for c in range(e)} for k in range(d)},
                  {o[k]: bo[k] for k in range(d)}, Activation.LINEAR),
            Dense(tuple(self.out), {self.out[k]: {x[k]: 1, o[k]: 1} for k in range(d)},
                  activation=Activation.LINEAR),
        )
