"""The benchmark command runs on a tiny configuration and writes well-formed results (not the numbers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `benchmarks` is not installed; bare `pytest` does not put the root on the path
    sys.path.insert(0, str(ROOT))

from benchmarks import registry, report, run  # noqa: E402
from benchmarks.stats import bootstrap_ci, estimate  # noqa: E402

SEED_A = """Harbour workers walk out over pay
Dock workers in Velmora began a strike on Monday after talks with the port authority collapsed.
The union said its members had not received a raise in four years.
Port officials warned that shipments of grain could be delayed for weeks.
"""
SEED_B = """Port strike halts grain exports
A strike by dock workers shut the port of Velmora on Monday, the port authority said.
Union leaders blamed the authority for refusing to negotiate a fair wage increase.
Grain shipments are expected to be delayed, officials warned.
"""
BASIL_LIKE = [
    ("e1", "fox", "Lawmakers approved the spending bill late on Thursday after a long debate."),
    ("e1", "fox", "Critics said the bill would add billions to the deficit."),
    ("e1", "nyt", "The Senate passed the budget measure on Thursday night by a narrow margin."),
    ("e1", "nyt", "Democrats argued that the cuts would hurt working families."),
    ("e1", "hpo", "Republicans rammed the bill through the chamber despite fierce objections."),
    ("e1", "hpo", "The vote followed weeks of bitter negotiations between the parties."),
    ("e2", "fox", "The governor signed an order closing schools for two weeks."),
    ("e2", "fox", "Parents complained that they had been given little notice."),
    ("e2", "nyt", "Schools across the state will close for two weeks, the governor announced."),
    ("e2", "nyt", "Health officials said the closures would slow the spread of the virus."),
    ("e2", "hpo", "Teachers welcomed the decision, calling it long overdue."),
    ("e2", "hpo", "The state reported more than two hundred new cases on Tuesday."),
]


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("data")
    (data / "seeds").mkdir()
    (data / "seeds" / "herald.txt").write_text(SEED_A, encoding="utf-8")
    (data / "seeds" / "wire.txt").write_text(SEED_B, encoding="utf-8")
    (data / "basil").mkdir()
    rows = [{"triplet_uuid": event, "source": source, "sent_idx": i, "text": text}
            for i, (event, source, text) in enumerate(BASIL_LIKE)]
    (data / "basil" / "basil_dev_sentences.jsonl").write_text(
        "\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def quick_run(tiny_data, tmp_path_factory, encoder):
    out = tmp_path_factory.mktemp("results")
    docs = tmp_path_factory.mktemp("docs")
    status = run.main(["--quick", "--suites", "speed,scaling", "--data-dir", str(tiny_data),
                       "--output-dir", str(out), "--docs", "--docs-dir", str(docs)])
    return status, out, docs


def test_quick_run_succeeds_and_writes_results_json(quick_run):
    status, out, _ = quick_run
    assert status == 0
    latest = json.loads((out / "latest.json").read_text())
    assert len(list(out.glob("results-*.json"))) == 1
    assert {"schema", "date", "command", "seed", "quick", "data_dir", "environment", "suites"} <= set(latest)
    assert latest["quick"] is True and latest["seed"] == 0
    env = latest["environment"]
    assert {"platform", "python", "versions", "model", "git_commit", "cpu_count"} <= set(env)
    assert {"numpy", "torch", "sentence-transformers", "narrativediff"} <= set(env["versions"])
    assert env["model"] == "all-MiniLM-L6-v2"
    assert list(latest["suites"]) == ["speed", "scaling"]
    for record in latest["suites"].values():
        assert record["status"] == "ok", record.get("traceback")
        assert set(record["result"]) >= {"name", "metrics", "baselines", "published", "notes"}
        assert record["seconds"] >= 0


def test_speed_reports_ratios_with_goals_and_throughputs(quick_run):
    metrics = json.loads((quick_run[1] / "latest.json").read_text())["suites"]["speed"]["result"]["metrics"]
    for key, goal in (("cold_compare_vs_bare_encode", "<= 1.15"), ("cached_vs_cold_compare", "<= 0.05")):
        cell = metrics[key]
        assert cell["goal"] == goal
        assert isinstance(cell["passed"], bool) and cell["passed"] == (cell["value"] <= float(goal[3:]))
        assert cell["value"] > 0 and len(cell["per_repeat"]) == metrics["repeats"]
    assert set(metrics["throughput_sentences_per_second"]) >= {"embed", "align", "framing", "bare_encode"}
    assert metrics["embeddings_cached_vs_cold_compare"]["value"] > 0
    assert metrics["dominant_stage_cold"] in metrics["cold_stage_seconds"]
    assert metrics["cache_misses_in_cached_runs"] == 0


def test_scaling_reports_cells_exponents_and_memory(quick_run):
    metrics = json.loads((quick_run[1] / "latest.json").read_text())["suites"]["scaling"]["result"]["metrics"]
    cells = metrics["cells"]
    assert [(c["outlets"], c["sentences_per_outlet"]) for c in cells] == [(2, 4), (3, 4), (2, 8)]
    for cell in cells:
        assert cell["sentences"] >= cell["outlets"] and cell["cache_misses"] == 0
        assert all(cell[stage] >= 0 for stage in ("clean_segment", "embed", "align", "framing", "total"))
    exponents = metrics["growth_exponent_vs_sentences"]
    assert set(exponents) >= {"clean_segment", "embed", "align", "framing", "total"}  # + any stage compare() adds
    stages = [stage for stage in exponents if stage != "total"]
    assert all(f"{stage}_alloc_mb" in cell for stage in stages for cell in cells)
    assert all(set(fit) == {"value", "ci", "n"} for fit in exponents.values() if fit)
    assert metrics["encode_rate_sentences_per_second"] > 0


def test_docs_are_generated_from_the_results(quick_run):
    _, out, docs = quick_run
    page = (docs / "benchmarks.md").read_text()
    assert "## speed" in page and "## scaling" in page
    assert "goal <= 1.15" in page and "cold_compare_vs_bare_encode" in page
    assert "![scaling](scaling.png)" in page
    assert (docs / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((docs / "benchmarks.json").read_text())["suites"].keys() == {"speed", "scaling"}


def test_absent_dataset_is_skipped_with_a_clear_reason(tmp_path):
    document = run.run_suites(["speed", "scaling"], data_dir=tmp_path / "nowhere", echo=lambda *_: None)
    speed, scaling = document["suites"]["speed"], document["suites"]["scaling"]
    assert speed["status"] == scaling["status"] == "skipped"
    assert "seeds" in speed["reason"] and "basil" in scaling["reason"]


@pytest.fixture
def fake_suites():
    def boom(*, data_dir, quick=False, seed=0):
        raise RuntimeError("the fake suite crashed")

    def fine(*, data_dir, quick=False, seed=0):
        return {"name": "fine", "metrics": {"f1": {"value": 0.5, "ci": [0.4, 0.6]}, "seed": seed}}

    registry.register("boom", boom)
    registry.register("fine", fine)
    yield
    registry.unregister("boom")
    registry.unregister("fine")


def test_a_crashing_suite_is_failed_and_the_others_still_run(fake_suites, tmp_path, capsys):
    status = run.main(["--suites", "boom,fine", "--seed", "3", "--output-dir", str(tmp_path),
                       "--docs-dir", str(tmp_path / "docs"), "--data-dir", str(tmp_path)])
    assert status == 1
    suites = json.loads((tmp_path / "latest.json").read_text())["suites"]
    assert suites["boom"]["status"] == "failed"
    assert "RuntimeError: the fake suite crashed" in suites["boom"]["error"]
    assert "Traceback" in suites["boom"]["traceback"]
    assert suites["fine"]["status"] == "ok" and suites["fine"]["result"]["metrics"]["seed"] == 3
    page = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert "| f1 | 0.500 [0.400, 0.600] |" in page and "the fake suite crashed" in page
    assert "failed" in capsys.readouterr().out


def test_unknown_suite_is_a_usage_error(capsys):
    assert run.main(["--suites", "no_such_suite", "--no-docs"]) == 2
    assert "no_such_suite" in capsys.readouterr().err


def test_discovery_finds_the_timing_suites_last():
    names = list(registry.discover())
    assert names[-2:] == ["speed", "scaling"]


def test_rendering_is_generic():
    assert report.format_value({"value": 0.8123, "ci": [0.79, 0.83]}) == ("0.812 [0.790, 0.830]", "")
    text, detail = report.format_value({"value": 1.3, "goal": "<= 1.15", "passed": False, "n": 5})
    assert text == "1.300" and "FAIL" in detail and "n=5" in detail
    rows, tables = report.flatten({"a": {"b": {"value": 1.0, "ci_low": 0.5, "ci_high": 1.5}, "c": 2},
                                   "rows": [{"x": 1}, {"x": 2}], "label": "text"})
    assert rows == [("a.b", "1.000 [0.500, 1.500]", ""), ("a.c", "2", ""), ("label", "text", "")]
    assert tables == [("rows", [{"x": 1}, {"x": 2}])]


def test_a_partial_run_keeps_the_other_suites_in_the_docs(tmp_path):
    old = {"date": "then", "environment": {"git_commit": "abc"}, "suites": {
        "mrpc": {"status": "ok", "seconds": 1.0, "result": {"name": "mrpc", "metrics": {"f1": 0.8}}}}}
    (tmp_path / "benchmarks.json").write_text(json.dumps(old))
    new = {"date": "now", "environment": {}, "suites": {
        "speed": {"status": "skipped", "seconds": 0.0, "reason": "no seeds"}}}
    report.write_docs(new, tmp_path, merge=True)
    merged = json.loads((tmp_path / "benchmarks.json").read_text())
    assert list(merged["suites"]) == ["speed", "mrpc"]
    assert merged["suites"]["mrpc"]["from_run"]["git_commit"] == "abc"
    assert "kept from the run of then" in (tmp_path / "benchmarks.md").read_text()


def test_bootstrap_is_reproducible_and_brackets_the_value():
    import numpy as np

    values = np.arange(50, dtype=float)
    first = estimate(np.mean, values, n=200, seed=1)
    assert first == estimate(np.mean, values, n=200, seed=1)
    assert first["ci"][0] < first["value"] < first["ci"][1] and first["n"] == 50
    grouped = bootstrap_ci(np.mean, values, n=200, seed=1, groups=values // 10)
    assert grouped[0] < 24.5 < grouped[1]
    with pytest.raises(ValueError):
        bootstrap_ci(np.mean, values, values[:3])


def test_the_script_form_runs():
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "--suites" in done.stdout


def test_quick_leaves_the_docs_alone_unless_asked(fake_suites, tmp_path):
    assert run.main(["--quick", "--suites", "fine", "--output-dir", str(tmp_path / "out"),
                     "--docs-dir", str(tmp_path / "docs")]) == 0
    assert (tmp_path / "out" / "latest.json").exists() and not (tmp_path / "docs").exists()


def test_the_page_can_be_regenerated_from_a_results_file(fake_suites, tmp_path):
    run.main(["--suites", "fine", "--no-docs", "--output-dir", str(tmp_path)])
    assert report.main([str(tmp_path / "latest.json"), "--docs-dir", str(tmp_path / "docs")]) == 0
    page = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert "## fine" in page and "0.500 [0.400, 0.600]" in page


def test_a_figure_that_cannot_be_drawn_is_noted_once_however_often_the_page_is_written(tmp_path):
    """framing_pairs draws its figure from ``metrics.calibration``; a kept record without it is noted, once."""
    old = {"date": "then", "environment": {"git_commit": "abc"}, "suites": {
        "framing_pairs": {"status": "ok", "seconds": 1.0, "result": {"name": "framing_pairs", "metrics": {"auc": 0.6}}}}}
    (tmp_path / "benchmarks.json").write_text(json.dumps(old))
    for _ in range(3):
        new = {"date": "now", "environment": {}, "suites": {
            "speed": {"status": "skipped", "seconds": 0.0, "reason": "no seeds"}}}
        report.write_docs(new, tmp_path, merge=True)
    merged = json.loads((tmp_path / "benchmarks.json").read_text())
    notes = merged["suites"]["framing_pairs"]["result"]["notes"]
    assert notes == ["figure not drawn: KeyError: 'calibration'"]
    assert (tmp_path / "benchmarks.md").read_text().count("figure not drawn") == 1
