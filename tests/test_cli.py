"""The command line: every bad input exits 2 with the library's message; good input writes what was asked."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import narrativediff as nd
from narrativediff.faces.cli import main


def _fails(capsys, argv, *fragments):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("narrativediff: error: "), err
    for fragment in fragments:
        assert fragment in err, err
    return err


def test_missing_folder(capsys, tmp_path):
    _fails(capsys, ["compare", str(tmp_path / "nope")], "is not a file or folder")


def test_single_file(capsys):
    one = next(nd.example_path().glob("*.txt"))
    _fails(capsys, ["compare", str(one)], "at least two articles", "got 1")


def test_folder_and_file_mixed(capsys):
    one = next(nd.example_path().glob("*.txt"))
    _fails(capsys, ["compare", str(nd.example_path()), str(one)], "is a folder")


def test_empty_folder(capsys, tmp_path):
    _fails(capsys, ["compare", str(tmp_path)], "no file matching")


def test_file_that_is_not_utf8(capsys, tmp_path):
    (tmp_path / "a.txt").write_bytes("Caf\xe9 workers walked out.".encode("latin-1"))
    (tmp_path / "b.txt").write_text("Cafe workers walked out.", encoding="utf-8")
    _fails(capsys, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], "not valid UTF-8")


def test_empty_article(capsys, tmp_path):
    (tmp_path / "a.txt").write_text("Workers walked out on Monday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("   \n", encoding="utf-8")
    _fails(capsys, ["compare", str(tmp_path)], "empty")


def test_html_into_a_folder_is_refused_before_the_work(capsys, tmp_path):
    _fails(capsys, ["compare", "--html", str(tmp_path)], "--html", "folder")


def test_csv_onto_a_file_is_refused(capsys, tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("", encoding="utf-8")
    _fails(capsys, ["compare", "--csv", str(target)], "--csv", "file")


def test_bad_option_value_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--top", "-3"])
    assert exit_info.value.code == 2
    assert "--top" in capsys.readouterr().err


def test_bundled_example_with_every_output(capsys, tmp_path, encoder):
    pytest.importorskip("openpyxl")
    # encoder: the process-wide default model is loaded once for the session
    html, folder, excel = tmp_path / "r.html", tmp_path / "tables", tmp_path / "t.xlsx"
    argv = ["compare", "--html", str(html), "--csv", str(folder), "--excel", str(excel)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Comparison of 4 outlets" in out and "most differently framed" in out
    assert f"Wrote HTML report: {html}" in out
    assert html.read_text(encoding="utf-8").count('class="nd-pair"') > 0
    listed = out.split("Wrote CSV tables (")[1].split(")")[0].split(", ")
    assert listed[:5] == ["summary", "sentences", "removed", "alignment", "unaligned"]
    assert {"claims", "coverage", "omissions"} <= set(listed)
    assert {p.name for p in folder.iterdir()} == {f"{name}.csv" for name in listed}
    assert len(pd.read_csv(folder / "sentences.csv")) == 36
    assert excel.is_file()


def _spy_on_compare(monkeypatch):
    calls = []
    real = nd.compare

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(nd, "compare", spy)
    return calls


def test_progress_bar_while_embedding(monkeypatch, capsys, encoder):
    calls = _spy_on_compare(monkeypatch)
    assert main(["compare", "--top", "1"]) == 0
    assert calls == [{"model": None, "show_progress_bar": True}]


def test_quiet_prints_only_the_files(monkeypatch, capsys, tmp_path, encoder):
    calls = _spy_on_compare(monkeypatch)
    folder = tmp_path / "tables"
    assert main(["compare", str(nd.example_path()), "--quiet", "--csv", str(folder)]) == 0
    assert calls[0]["show_progress_bar"] is False
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Wrote CSV tables (summary, sentences, removed, alignment, unaligned")
    assert lines[0].endswith(f"): {folder}")


def test_latin1_files_are_read_with_the_encoding_the_advice_names(capsys, tmp_path, encoder):
    (tmp_path / "a.txt").write_bytes("Caf\xe9 workers walked out of the harbour on Monday.".encode("latin-1"))
    (tmp_path / "b.txt").write_bytes("Caf\xe9 staff went on strike at the harbour on Monday.".encode("latin-1"))
    _fails(capsys, ["compare", str(tmp_path)], "--encoding")
    assert main(["compare", str(tmp_path), "--encoding", "latin-1", "--quiet"]) == 0


def test_html_over_an_input_file_is_refused(capsys, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Dock workers walked out on Monday.", encoding="utf-8")
    before = (tmp_path / "a.txt").read_bytes()
    _fails(capsys, ["compare", str(tmp_path), "--html", str(tmp_path / "a.txt")], "overwrite")
    _fails(capsys, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--excel", str(tmp_path / "b.txt")],
           "overwrite")
    assert (tmp_path / "a.txt").read_bytes() == before


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"narrativediff {nd.__version__}"


def test_json_and_save_outputs(capsys, tmp_path, encoder):
    import json

    assert main(["compare", "--quiet", "--json", str(tmp_path / "c.json"), "--save", str(tmp_path / "c.ndz")]) == 0
    document = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert "alignment" in document["tables"] and document["metadata"]["sources"]
    loaded = nd.Comparison.load(tmp_path / "c.ndz")
    assert len(loaded.alignment) == len(document["tables"]["alignment"])
    out = capsys.readouterr().out
    assert "Wrote JSON tables" in out and "Wrote saved comparison" in out


def test_the_same_claim_heading_lists_only_same_claim_pairs(capsys, encoder):
    assert main(["compare", "--top", "50"]) == 0
    out = capsys.readouterr().out
    heading = out.split("pairs that report the same claim (each sentence once):")[1]
    heading = heading.split("Sentences no other outlet reports")[0]
    probabilities = [float(p) for p in re.findall(r"P\(same claim\) (\d\.\d\d)", heading)]
    comparison = nd.compare(nd.load_articles(nd.example_path()), model=encoder)
    from narrativediff.comparison import same_claim_mask

    shown = comparison.differences(50, per_sentence=1)
    assert same_claim_mask(shown).all() and 0 < len(shown) < int(same_claim_mask(comparison.alignment).sum())
    assert probabilities == [round(float(p), 2) for p in shown["p_same_claim"]]


def test_quiet_is_silent_in_a_fresh_process(tmp_path):
    """No model loading bar, no progress, nothing on stdout but what was written: run as a user would."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    quiet = subprocess.run([sys.executable, "-m", "narrativediff", "compare", "--quiet"], capture_output=True,
                           text=True, env=env, timeout=600, check=False)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""
    assert "Loading weights" not in quiet.stderr and "it/s" not in quiet.stderr, quiet.stderr[-500:]


def test_verbose_logs_every_stage(capsys, encoder):
    assert main(["compare", "--verbose", "--top", "0"]) == 0
    err = capsys.readouterr().err
    for stage in ("clean_segment", "embed", "align", "claims", "framing"):
        assert f"narrativediff: {stage}: done in" in err or "narrativediff: reused the kept result" in err


def test_articles_with_nothing_in_common_print_and_write(capsys, tmp_path, encoder):
    (tmp_path / "a.txt").write_text("The harbour council approved a new crane for the terminal on Monday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Heavy snowfall closed three mountain passes and stranded skiers.", encoding="utf-8")
    assert main(["compare", str(tmp_path), "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "t")]) == 0
    out = capsys.readouterr().out
    assert "0 aligned pairs" in out and (tmp_path / "r.html").stat().st_size > 0


@pytest.fixture(scope="module")
def corpus_file(shared_data, tmp_path_factory):
    """Three BASIL event triples as one JSONL corpus, one outlet's article left out of the last story."""
    from tests.corpus_data import basil_frame

    frame = basil_frame(shared_data, 3)
    last = frame["gold"].unique()[-1]
    dropped = frame[frame["gold"] == last].index[0]
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    frame.drop(index=dropped).to_json(path, orient="records", lines=True, force_ascii=False)
    return path, frame.loc[dropped, "source"]


def test_corpus_command_prints_and_writes_the_corpus_tables(capsys, corpus_file, tmp_path, encoder):
    path, missing = corpus_file
    folder, document, page = tmp_path / "tables", tmp_path / "corpus.json", tmp_path / "corpus.html"
    assert main(["corpus", str(path), "--csv", str(folder), "--json", str(document), "--html", str(page),
                 "--cache", str(tmp_path / "cache"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Wrote HTML report") and "Wrote CSV tables (summary, articles, stories" in out
    assert "Wrote JSON tables" in out
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    corpus = nd.compare_corpus(path, model=encoder)
    for name, table in corpus.tables().items():
        written = pd.read_csv(folder / f"{name}.csv")
        assert list(written.columns) == list(table.columns) and len(written) == len(table), name
    blind = pd.read_csv(folder / "blindspots.csv")
    assert blind["source"].tolist() == [missing]
    import json

    saved = json.loads(document.read_text(encoding="utf-8"))
    assert saved["format"] == "narrativediff.corpus_tables" and saved["metadata"]["n_stories"] == 3
    assert len(saved["tables"]["articles"]) == len(corpus.articles)
    # the cache folder holds the embeddings: a second run embeds nothing
    assert main(["corpus", str(path), "--cache", str(tmp_path / "cache"), "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "The 2 stories most outlets tell (of 3):" in out
    assert f"{missing} leaves out story" in out and "Mean framing score per outlet" in out


def test_corpus_command_stories_only(capsys, corpus_file):
    path, _ = corpus_file
    assert main(["corpus", str(path), "--stories-only", "--quiet", "--window", "none"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv, fragment", [
    (["--csv", "{file}"], "--csv must name a folder"),
    (["--json", "{folder}"], "--json must name a file"),
    (["--json", "{source}"], "the corpus itself"),
])
def test_corpus_command_refuses_bad_outputs(capsys, corpus_file, tmp_path, argv, fragment):
    path, _ = corpus_file
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    names = {"file": tmp_path / "file.txt", "folder": tmp_path, "source": path}
    _fails(capsys, ["corpus", str(path), *[a.format(**names) for a in argv]], fragment)


def test_corpus_command_bad_input(capsys, tmp_path):
    _fails(capsys, ["corpus", str(tmp_path / "nope.parquet")], "nope.parquet")
    with pytest.raises(SystemExit):
        main(["corpus", str(tmp_path), "--window", "-3"])
    assert "must be a number of days > 0, or none" in capsys.readouterr().err


def test_corpus_quiet_is_silent_in_a_fresh_process(corpus_file):
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    quiet = subprocess.run([sys.executable, "-m", "narrativediff", "corpus", str(corpus_file[0]), "--quiet"],
                           capture_output=True, text=True, env=env, timeout=600, check=False)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""
    assert "Loading weights" not in quiet.stderr and "it/s" not in quiet.stderr, quiet.stderr[-500:]
