"""The sweep driver: rows, resumption by content hash, the files it writes, the CLI."""

from __future__ import annotations

import json
import os
import shutil

from ssmproof.cli import main
from ssmproof.sweep import results
from ssmproof.sweep.run import expand, sweep
from ssmproof.sweep.tasks import OUTCOMES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _folder(tmp_path):
    """tomita1.json (star-free), parity.toml (needs signed gates), an AT&T file, a bad spec."""
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(os.path.join(ROOT, "automata", "tomita1.json"), folder / "tomita1.json")
    shutil.copy(os.path.join(ROOT, "automata", "parity.toml"), folder / "parity.toml")
    (folder / "ends_a.att").write_text("0 0 a\n0 0 b\n0 1 a\n1\n")  # (a|b)*a, nondeterministic
    (folder / "broken.json").write_text('{"name": "broken", "alphabet": []}')
    return str(folder)


def test_a_folder_sweep_gives_one_row_per_language_mode_and_format_and_resumes(tmp_path):
    specs, out = _folder(tmp_path), str(tmp_path / "out")
    first = sweep([specs], out=out, modes=("recognize", "predict"), formats=("exact",), jobs=1,
                  plots=False)
    rows = {(r["language"], r["mode"]): r for r in first.rows}
    assert len(first.rows) == 8 and first.ran == 6 and first.reused == 0
    assert rows["tomita1", "recognize"]["outcome"] == "holds"
    assert rows["ends_a", "predict"]["outcome"] == "holds"  # (a|b)*a is star-free
    assert rows["ends_a", "recognize"]["states"] == 2
    assert rows["parity", "recognize"]["gates_needed"] == "signed"
    broken = rows["broken", "recognize"]
    assert broken["outcome"] == "error" and "broken.json: transitions: missing" in \
        broken["reason"]
    again = sweep([specs], out=out, modes=("recognize", "predict"), jobs=1, plots=False)
    assert (again.ran, again.reused) == (0, 6)  # every task answered by its content hash
    strip = [{k: v for k, v in r.items() if k != "seconds"} for r in first.rows]
    assert strip == [{k: v for k, v in r.items() if k != "seconds"} for r in again.rows]
    more = sweep([specs], out=out, modes=("recognize",), formats=("exact", "bfloat16"), jobs=1,
                 plots=False)
    assert (more.ran, more.reused) == (3, 3)  # only the new format runs


def test_an_error_row_in_the_cache_is_retried(tmp_path):
    out = str(tmp_path / "out")
    first = sweep(["tomita:1"], out=out, jobs=1, plots=False)
    path = os.path.join(out, "tasks", f"{first.rows[0]['key']}.json")
    row = json.load(open(path))
    row["outcome"] = "error"
    open(path, "w").write(json.dumps(row))
    assert sweep(["tomita:1"], out=out, jobs=1, plots=False).ran == 1


def test_the_csv_reads_back_and_the_summary_counts_every_outcome(tmp_path):
    out = str(tmp_path / "out")
    report = sweep(["tomita:1", "parity", "tomita:3"], out=out, gates=("auto", "nonnegative"),
                   jobs=1)
    text = open(os.path.join(out, "results.csv")).read()
    back = results.from_csv(text)
    assert [{k: r[k] for k in ("language", "gates", "outcome", "states", "star_free")}
            for r in back] == [{k: r[k] for k in ("language", "gates", "outcome", "states",
                                                  "star_free")} for r in report.rows]
    # parity and tomita:3 are not star-free (refused under nonnegative gates); their groups are
    # 2-groups, so auto compiles them with signed gates and the proofs close.
    assert [r["outcome"] for r in back] == ["holds", "refused", "holds", "holds",
                                            "holds", "refused"]
    summary = open(os.path.join(out, "summary.md")).read()
    assert "3 languages, 6 tasks" in summary
    header = "| **all** | 6 | " + " | ".join(
        str(sum(r["outcome"] == o for r in back)) for o in OUTCOMES) + " |"
    assert header in summary
    for name in ("dims_layers_vs_states.png", "time_vs_configurations.png",
                 "outcome_by_class.png"):
        with open(os.path.join(out, name), "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_expand_labels_files_by_stem_and_zoo_names_as_written(tmp_path):
    specs = _folder(tmp_path)
    assert [label for label, _ in expand([specs, "dyck:1,2"])] == [
        "broken", "ends_a", "parity", "tomita1", "dyck:1,2"]  # a folder: sorted by path


def test_sweep_cli_json_summary_and_bad_options(tmp_path, capsys):
    out = str(tmp_path / "out")
    assert main(["sweep", "tomita:1", "parity", "--out", out, "--jobs", "1", "--json",
                 "--no-plots", "--modes", "recognize"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcomes"] == {"holds": 2} and data["ran"] == 2
    assert main(["sweep", "parity", "--out", out, "--modes", "recognise"]) == 2
    assert main(["sweep", "parity", "--out", out, "--formats", "fixed:x"]) == 2
    assert "recognise" in capsys.readouterr().err
