"""Comparison.save/load round trip, to_json and to_parquet: what researchers' tools read."""

from __future__ import annotations

import dataclasses
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

import narrativediff as nd


def _assert_same(a, b):
    for spec in dataclasses.fields(a):
        x, y = getattr(a, spec.name), getattr(b, spec.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        elif isinstance(x, pd.Series):
            pd.testing.assert_series_equal(x, y, check_exact=True)
        elif isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y), spec.name
        else:
            assert x == y, spec.name


def test_save_then_load_gives_the_same_comparison(example_comparison, tmp_path):
    path = example_comparison.save(tmp_path / "c.ndz")
    loaded = nd.Comparison.load(path)
    _assert_same(example_comparison, loaded)
    assert loaded.framing(0) == example_comparison.framing(0)
    pd.testing.assert_frame_equal(loaded.coverage, example_comparison.coverage)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "narrativediff.comparison" and manifest["format_version"] == 1
        assert not any(name.endswith((".pkl", ".pickle")) for name in archive.namelist())


def test_save_keeps_dtypes_it_does_not_see_in_the_example(example_comparison, tmp_path):
    """Dates with a time zone, missing values, categories and an index of labels all come back."""
    sentences = example_comparison.sentences.copy()
    sentences["published"] = pd.to_datetime(["2024-04-26T14:05:00+02:00"] * (len(sentences) - 1) + [None], utc=True)
    sentences["kind"] = pd.Categorical(["body"] * len(sentences))
    sentences["ratio"] = np.r_[np.nan, np.full(len(sentences) - 1, 1 / 3)]
    alignment = example_comparison.alignment.set_axis(example_comparison.alignment.index * 10)
    changed = dataclasses.replace(example_comparison, sentences=sentences, alignment=alignment,
                                  evidence=example_comparison.evidence.assign(pair=lambda t: t["pair"] * 10),
                                  word_diff=example_comparison.word_diff.assign(pair=lambda t: t["pair"] * 10))
    _assert_same(changed, nd.Comparison.load(changed.save(tmp_path / "c.ndz")))


def test_load_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(nd.InvalidInputError, match="not a file"):
        nd.Comparison.load(tmp_path / "missing.ndz")
    (tmp_path / "text.ndz").write_text("not a zip")
    with pytest.raises(nd.InvalidInputError, match="not a readable"):
        nd.Comparison.load(tmp_path / "text.ndz")
    with zipfile.ZipFile(tmp_path / "newer.ndz", "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "narrativediff.comparison", "format_version": 99}))
    with pytest.raises(nd.InvalidInputError, match="format version 99"):
        nd.Comparison.load(tmp_path / "newer.ndz")


def test_to_json_has_every_table_as_records_and_the_metadata(example_comparison, tmp_path):
    from narrativediff.faces.report import tables

    text = example_comparison.to_json(tmp_path / "c.json")
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == text
    document = json.loads(text)  # strict JSON: no NaN
    assert document["metadata"]["sources"] == example_comparison.sources
    assert document["metadata"]["model"] == example_comparison.model
    assert [a["source"] for a in document["metadata"]["articles"]] == example_comparison.sources
    expected = tables(example_comparison)
    assert set(document["tables"]) == set(expected)
    for name, table in expected.items():
        assert len(document["tables"][name]) == len(table), name
        if len(table):
            assert list(document["tables"][name][0]) == [str(c) for c in table.columns], name
    first = document["tables"]["alignment"][0]
    assert first["framing_score"] == pytest.approx(example_comparison.alignment["framing_score"].iloc[0])


def test_to_parquet_writes_tables_pandas_reads_back(example_comparison, tmp_path):
    pytest.importorskip("pyarrow")
    written = example_comparison.to_parquet(tmp_path / "pq")
    assert json.loads(written["metadata"].read_text())["sources"] == example_comparison.sources
    alignment = pd.read_parquet(written["alignment"])
    assert len(alignment) == len(example_comparison.alignment)
    assert alignment["framing_score"].tolist() == example_comparison.alignment["framing_score"].tolist()
    with pytest.raises(nd.InvalidParameterError, match="folder"):
        example_comparison.to_parquet(written["alignment"])


def test_outlet_names_match_ignoring_case(example_comparison):
    c = example_comparison
    first, second = c.sources[:2]
    pd.testing.assert_frame_equal(c.pairs(first.upper(), second.title()), c.pairs(first, second))
    assert c.similarity(first.upper(), second).shape[0] == (c.sentences["source"] == first).sum()
    pd.testing.assert_frame_equal(c.omissions(first.upper()), c.omissions(first))
    pd.testing.assert_frame_equal(c.unique_claims(first.upper()), c.unique_claims(first))
    with pytest.raises(nd.InvalidParameterError, match="source must be one of"):
        c.pairs("nobody", second)


def test_ambiguous_case_is_refused_with_the_choices(example_comparison):
    articles = [nd.Article(source="rt", text="Dock workers walked out on Monday."),
                nd.Article(source="RT", text="Dock workers went on strike on Monday."),
                nd.Article(source="voa", text="The port closed on Monday after a strike.")]
    from narrativediff.embed import get_encoder

    c = nd.compare(articles, model=get_encoder())
    assert len(c.pairs("rt", "voa")) == len(c.pairs("rt", "VOA"))  # exact names still win
    with pytest.raises(nd.InvalidParameterError, match=r"\['rt', 'RT'\]"):
        c.pairs("Rt", "voa")


def test_readme_example_works_on_the_seed_folder(seeds_comparison):
    assert "rt" in seeds_comparison.sources and "voa" in seeds_comparison.sources
    assert len(seeds_comparison.pairs("RT", "VOA")) == len(seeds_comparison.pairs("rt", "voa")) > 0
    assert seeds_comparison.similarity("RT", "VOA").shape[0] == (seeds_comparison.sentences["source"] == "rt").sum()
