"""Hand-built SSMs that more than one refute test reads, written once."""

from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok


def counter_copied_above() -> SSM:
    """Layer 1 counts 1s (gate 1); layer 2 copies the count (gate 0); accept iff copy > 0.

    Waiting for the counter to stop is no sound jump (the reader sees every count), so the
    stabilisation argument runs out of budget; an invariant box decides it."""
    count = Layer("L1", ("L1.c",), gate={"L1.c": {ONE: 1}}, input={"L1.c": {tok("1"): 1}},
                  export=("L1.c",))
    copy = Layer("L2", ("L2.h",), gate={"L2.h": {}}, input={"L2.h": {"L1.c": 1}},
                 export=("L2.h",))
    return SSM("copy", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (count, copy),
               accept={"L2.h": 1})


def configurations_after(m, words: list) -> list:
    """The configuration after BOS·w for each word (may raise NonFiniteValue)."""
    out = []
    for w in words:
        c = m.step(m.start(), 0)[0]
        for t in m.token_ids(w):
            c = m.step(c, t)[0]
        out.append(c)
    return out


def run_each(m, configs: list, tokens: list) -> list:
    """Each configuration stepped through ``tokens`` (may raise NonFiniteValue)."""
    ends = []
    for c in configs:
        for t in tokens:
            c = m.step(c, t)[0]
        ends.append(c)
    return ends
