"""The command line: every bad input exits 2 with the library's message; good input writes what was asked."""

from __future__ import annotations

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
    assert len(pd.read_csv(folder / "sentences.csv")) == 37
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
