"""Dask for real: a scheduler and a worker started from the command line on 127.0.0.1, and a
local cluster; both must give the serial run's rows (timing aside) and report task failures."""

from __future__ import annotations

import math

import pytest

from ssmproof.sweep import pool
from ssmproof.sweep.localhost import command_line_cluster
from ssmproof.sweep.run import sweep
from ssmproof.sweep.tasks import TIMING_COLUMNS

LANGUAGES = ["tomita:1", "parity", "tomita:3"]  # nonnegative; signed (Z2); signed (Z2, by cascade)


def _untimed(rows):
    return [{k: v for k, v in r.items() if k not in TIMING_COLUMNS} for r in rows]


def test_a_command_line_scheduler_and_worker_give_the_serial_rows(tmp_path):
    serial = sweep(LANGUAGES, out=str(tmp_path / "serial"), jobs=1, plots=False)
    with command_line_cluster(workers=1, timeout=120) as address:
        assert address.startswith("tcp://127.0.0.1:")
        remote = sweep(LANGUAGES, out=str(tmp_path / "remote"), scheduler=address,
                       plots=False)
        # a task that raises on a worker comes back through on_error, in input order
        got = pool.map_ordered(math.sqrt, [4, -1, 9], scheduler=address,
                               on_error=lambda item, err: type(err).__name__)
    assert remote.ran == len(LANGUAGES)
    assert _untimed(remote.rows) == _untimed(serial.rows)
    assert [(r["outcome"], r["gate_class"]) for r in remote.rows] == [
        ("holds", "signed"), ("holds", "nonnegative"), ("holds", "signed")]  # sorted by label
    assert got == [2.0, "ValueError", 3.0]


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    from ssmproof.cli import main
    from ssmproof.sweep import pool

    monkeypatch.setattr(pool, "CONNECT_TIMEOUT_S", 1)  # nothing listens on port 9: no need for 20 s

    code = main(["sweep", "parity", "--out", str(tmp_path), "--scheduler",
                 "tcp://127.0.0.1:9", "--no-plots"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("ssmproof: --scheduler tcp://127.0.0.1:9: cannot connect")


@pytest.mark.slow
def test_a_local_cluster_gives_the_serial_rows(tmp_path):
    serial = sweep(LANGUAGES, out=str(tmp_path / "serial"), jobs=1, plots=False)
    local = sweep(LANGUAGES, out=str(tmp_path / "local"), jobs=2, plots=False)
    assert _untimed(local.rows) == _untimed(serial.rows)
