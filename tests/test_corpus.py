"""compare_corpus and Corpus in this process, through the real model, on a few BASIL triples."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import narrativediff as nd
from narrativediff.corpus.stories import detect_stories
from narrativediff.embed import EmbeddingCache
from narrativediff.exceptions import InvalidInputError, InvalidParameterError
from tests.corpus_data import basil_frame, partition


@pytest.fixture(scope="module")
def triples(shared_data):
    return basil_frame(shared_data, 3)


@pytest.fixture(scope="module")
def corpus(triples, encoder):
    # One outlet's article left out of the last story, so that story is a blindspot of that outlet.
    last = triples["gold"].unique()[-1]
    dropped = triples[(triples["gold"] == last)].index[0]
    frame = triples.drop(index=dropped).reset_index(drop=True)
    return frame, triples.loc[dropped, "source"], nd.compare_corpus(frame, model=encoder)


class Counting:
    """The session encoder under a fixed name, counting the texts it is asked to embed."""

    name = "counting-minilm"

    def __init__(self, encoder, fail_after=None):
        self.inner, self.texts, self.fail_after = encoder, 0, fail_after

    def encode(self, texts):
        if self.fail_after is not None and self.texts + len(texts) > self.fail_after:
            raise KeyboardInterrupt("interrupted on purpose")
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_stories_are_the_event_triples(corpus):
    frame, _, result = corpus
    assert partition(result.articles["story_id"]) == partition(frame["gold"])
    assert len(result.stories) == frame["gold"].nunique()
    assert result.articles["article_id"].tolist() == frame["article_id"].tolist()
    assert result.articles.columns[:len(nd.corpus.result.ARTICLE_COLUMNS)].tolist() == nd.corpus.result.ARTICLE_COLUMNS
    assert "gold" in result.articles.columns and "text" not in result.articles.columns


def test_story_table(corpus):
    frame, _, result = corpus
    stories = result.stories
    assert stories.columns.tolist() == nd.corpus.result.STORY_COLUMNS
    assert stories["n_articles"].sum() == len(frame)
    for story in stories.itertuples():
        rows = result.articles[result.articles["story_id"] == story.story_id]
        assert story.outlets == tuple(sorted(rows["source"]))
        assert story.first_published == rows["published"].min()
        assert story.headline in rows["title"].tolist()
        assert story.n_pairs > 0 and 0 < story.cohesion <= 1


def test_coverage_and_blindspots(corpus):
    frame, missing_outlet, result = corpus
    coverage = result.coverage
    assert coverage.shape == (frame["source"].nunique(), len(result.stories))
    assert int(coverage.to_numpy().sum()) == len(frame)
    blind = result.blindspots(k=2)
    assert blind[["source", "story_id"]].values.tolist() == [[missing_outlet, len(result.stories) - 1]]
    assert result.blindspots(k=3).empty  # that story has two independent outlets only
    with pytest.raises(InvalidParameterError, match="k must be"):
        result.blindspots(k=0)


def test_framing_scores_aggregate_story_means(corpus):
    _, _, result = corpus
    profile = result.framing_scores(n_boot=200)
    with pytest.warns(FutureWarning, match="framing_scores"):
        assert result.framing_profile(n_boot=200).equals(profile)
    assert set(profile["source"]) == set(result.sources)
    per_story = result.story_framing
    for row in profile.itertuples():
        own = per_story[per_story["source"] == row.source]
        assert row.n_stories == len(own)
        assert row.framing_score == pytest.approx(own["framing_score"].mean())
        assert row.framing_score_low <= row.framing_score <= row.framing_score_high


def test_comparison_of_a_story(corpus, encoder):
    _, _, result = corpus
    comparison = result.comparison(0)
    assert isinstance(comparison, nd.Comparison)
    assert sorted(comparison.sources) == list(result.stories.loc[0, "outlets"])
    assert len(comparison.alignment) == result.stories.loc[0, "n_pairs"]
    assert result.comparison(0) is comparison
    with pytest.raises(InvalidParameterError, match="story_id"):
        result.comparison(99)


def test_one_article_per_outlet_the_earliest(triples, encoder):
    story = triples[triples["gold"] == triples["gold"].iloc[0]]
    later = story.iloc[[0]].assign(article_id="follow-up", published="2099-01-01")
    # A near copy published later by the same outlet: same story, not in the comparison.
    later["text"] = later["text"] + "\nThe story was updated."
    later["published"] = pd.Timestamp(story["published"].iloc[0]) + pd.Timedelta(days=1)
    result = nd.compare_corpus(pd.concat([story, later], ignore_index=True), model=encoder, compare_stories=False)
    rows = result.articles.set_index("article_id")
    assert rows.loc["follow-up", "story_id"] == rows.loc[story["article_id"].iloc[0], "story_id"]
    assert not rows.loc["follow-up", "in_comparison"]
    assert rows["in_comparison"].sum() == len(story)


def test_single_outlet_story_has_no_comparison(triples, encoder):
    two = triples[triples["gold"].isin(triples["gold"].unique()[:2])]
    lone = two[(two["gold"] == two["gold"].iloc[-1])].iloc[[0]]
    result = nd.compare_corpus(pd.concat([two[two["gold"] == two["gold"].iloc[0]], lone]), model=encoder,
                               compare_stories=False)
    lone_story = int(result.articles["story_id"].iloc[-1])
    assert result.stories.loc[lone_story, "n_outlets"] == 1
    with pytest.raises(InvalidInputError, match="one outlet"):
        result.comparison(lone_story)


def test_input_forms_give_one_table(triples, encoder, tmp_path):
    frame = triples.drop(columns=["article_id"])
    frame.to_json(tmp_path / "corpus.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "corpus.parquet")
    folder = tmp_path / "outlets"
    for row in triples.itertuples():
        (folder / row.source).mkdir(parents=True, exist_ok=True)
        (folder / row.source / f"{row.article_id}.txt").write_text(row.text, encoding="utf-8")
    tables = [nd.corpus.read_corpus(x) for x in (frame, tmp_path / "corpus.jsonl", tmp_path / "corpus.parquet")]
    for table in tables[1:]:
        assert table["article_id"].tolist() == tables[0]["article_id"].tolist()
        assert table["published"].tolist() == tables[0]["published"].tolist()
    assert tables[0]["article_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    from_folder = nd.compare_corpus(folder, model=encoder, compare_stories=False)
    gold = dict(zip(triples["source"] + "/" + triples["article_id"], triples["gold"]))
    assert partition(from_folder.articles["story_id"]) == partition(from_folder.articles["article_id"].map(gold))


def test_bad_input_and_options(triples, encoder):
    with pytest.raises(InvalidInputError, match="'text'"):
        nd.compare_corpus(triples.drop(columns=["text"]), model=encoder)
    clash = triples.iloc[:2].assign(article_id="same")
    with pytest.raises(InvalidInputError, match="share the article_id"):
        nd.compare_corpus(clash, model=encoder)
    with pytest.raises(InvalidParameterError, match="engine must be"):
        nd.compare_corpus(triples, model=encoder, engine="spark")
    with pytest.raises(InvalidParameterError, match="compare_options"):
        nd.compare_corpus(triples, model=encoder, compare_options={"colour": 1})
    with pytest.raises(InvalidInputError, match="no file or folder"):
        nd.compare_corpus("/nonexistent/corpus.jsonl", model=encoder)
    with pytest.raises(InvalidInputError, match=r"row 1 \('.*'\) has the language 'english'"):
        nd.compare_corpus(triples.assign(language=[None, "english"] + [None] * (len(triples) - 2)), model=encoder)


def test_rerun_embeds_only_what_is_missing(triples, encoder, tmp_path):
    frame = triples[triples["gold"].isin(triples["gold"].unique()[:2])]
    counting = Counting(encoder)
    first = nd.compare_corpus(frame, model=counting, cache=EmbeddingCache(directory=tmp_path),
                              compare_stories=False)
    files = sorted(tmp_path.rglob("*.npy"))
    assert counting.texts == first.embedded == len(files) > 0
    for file in files[:7]:
        file.unlink()
    again = Counting(encoder)
    second = nd.compare_corpus(frame, model=again, cache=EmbeddingCache(directory=tmp_path), compare_stories=False)
    assert again.texts == second.embedded == 7
    assert second.articles.equals(first.articles)


def test_interrupted_run_resumes(triples, encoder, tmp_path):
    frame = triples[triples["gold"].isin(triples["gold"].unique()[:2])]
    dying = Counting(encoder, fail_after=40)
    with pytest.raises(KeyboardInterrupt):
        nd.compare_corpus(frame, model=dying, cache=EmbeddingCache(directory=tmp_path), batch_size=1)
    done = len(list(tmp_path.rglob("*.npy")))
    assert 0 < done == dying.texts <= 40
    resumed = Counting(encoder)
    result = nd.compare_corpus(frame, model=resumed, cache=EmbeddingCache(directory=tmp_path), batch_size=1)
    assert resumed.texts == result.embedded == len(list(tmp_path.rglob("*.npy"))) - done
    assert partition(result.articles["story_id"]) == partition(frame["gold"])


def test_progress_bars(triples, encoder):
    pytest.importorskip("tqdm")
    frame = triples[triples["gold"] == triples["gold"].iloc[0]]
    result = nd.compare_corpus(frame, model=encoder, progress=True, compare_stories=False)
    assert len(result.stories) == 1


# --- story detection on vectors -----------------------------------------------------------------

def _clusters(seed=0, stories=12, size=4, dim=16, noise=0.15):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(stories, dim))
    vectors = np.repeat(centres, size, axis=0) + noise * rng.normal(size=(stories * size, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), np.repeat(np.arange(stories), size)


def _reference_average_link(vectors, threshold):
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(vectors.astype(np.float64), method="average", metric="cosine")
    return fcluster(tree, t=1 - threshold + 1e-9, criterion="distance")


@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8])
def test_blockwise_equals_full_average_link(threshold):
    vectors, _ = _clusters(noise=0.6)
    reference = partition(_reference_average_link(vectors, threshold))
    for max_pairs in (4_000_000, 50):  # one block, and rows a few at a time
        found = detect_stories(vectors, threshold=threshold, window=None, neighbors=len(vectors), index="exact",
                               max_pairs=max_pairs, max_block=len(vectors))
        assert partition(found.labels) == reference


def test_components_above_the_bound_are_linked_over_neighbours():
    vectors, truth = _clusters(stories=6, size=5, noise=0.1)
    # Pairs of stories share a centre's neighbourhood, so components hold ten articles; max_block=4
    # sends them to the sparse path, which must still tell the two stories of a component apart.
    vectors = np.vstack([vectors, vectors + 0.02]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    found = detect_stories(vectors, threshold=0.7, window=None, max_block=4)
    assert found.largest_block == 1
    assert partition(found.labels) == partition(np.concatenate([truth, truth]))


def test_approximate_index_finds_separated_stories():
    pytest.importorskip("hnswlib")
    vectors, _ = _clusters(stories=40)
    found = detect_stories(vectors, threshold=0.6, window=None, index="hnsw")
    exact = detect_stories(vectors, threshold=0.6, window=None, index="exact")
    assert found.index == "hnsw" and exact.index == "exact"
    assert partition(found.labels) == partition(exact.labels)
    assert len(set(found.labels)) > 20


def test_window_splits_alike_articles_far_apart():
    vectors, truth = _clusters(stories=2)
    days = np.where(np.arange(len(vectors)) % 2 == 0, 0.0, 30.0)
    apart = detect_stories(vectors, days, threshold=0.6, window=7)
    assert partition(apart.labels) == partition(truth * 2 + (np.arange(len(vectors)) % 2))
    undated = detect_stories(vectors, np.full(len(vectors), np.nan), threshold=0.6, window=7)
    assert partition(undated.labels) == partition(truth)


def test_auto_threshold_from_far_pairs():
    vectors, _ = _clusters(stories=60, size=3)
    days = np.repeat(np.arange(60) * 40.0, 3)
    found = detect_stories(vectors, days, threshold="auto")
    assert found.threshold_rule == "auto: null quantile"
    few = detect_stories(vectors[:6], days[:6], threshold="auto")
    assert (few.threshold_rule, few.threshold) == ("auto: fallback", nd.corpus.stories.FALLBACK_THRESHOLD)


def test_import_loads_no_dask_or_hnswlib():
    code = "import sys, narrativediff; print(sorted(m for m in ('dask', 'distributed', 'hnswlib', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_in_process_stories_reuse_the_representation_pass(triples, encoder, monkeypatch):
    """Each sentence goes through the model once: the story comparisons find its word vectors."""
    seen = []
    model = encoder.model

    def spy(texts, *args, **kwargs):
        seen.extend(texts)
        return type(model).encode(model, texts, *args, **kwargs)

    monkeypatch.setattr(model, "encode", spy)
    frame = triples[triples["gold"].isin(triples["gold"].unique()[:2])]
    result = nd.compare_corpus(frame, model=encoder, cache=EmbeddingCache())
    assert len(result.story_framing) > 0
    assert len(seen) == len(set(seen))  # no text twice: no second pass for the framing words
    full = EmbeddingCache(max_word_items=0)  # a full word store: the comparisons embed their words
    seen.clear()
    nd.compare_corpus(frame, model=encoder, cache=full)
    assert len(seen) > len(set(seen))


def test_corpus_tables_and_files(corpus, tmp_path):
    import json

    frame, missing_outlet, result = corpus
    named = result.tables(n_boot=200)
    assert list(named) == ["summary", "articles", "stories", "story_framing", "coverage", "blindspots",
                           "framing_scores"]
    coverage = named["coverage"]
    assert coverage.columns.tolist() == ["source", "story_id", "n_articles"]
    assert coverage["n_articles"].sum() == len(frame) and len(coverage) == result.coverage.size
    assert named["stories"]["outlets"].tolist() == [", ".join(o) for o in result.stories["outlets"]]
    assert named["blindspots"]["source"].tolist() == [missing_outlet]
    written = result.to_parquet(tmp_path / "pq", n_boot=200)
    assert set(written) == set(named) | {"metadata"}
    for name, table in named.items():
        back = pd.read_parquet(written[name])
        assert back.shape == table.shape and list(back.columns) == list(table.columns), name
    meta = json.loads(written["metadata"].read_text(encoding="utf-8"))
    assert meta["n_stories"] == len(result.stories) and meta["threshold"] == pytest.approx(result.threshold_)
    assert meta["tables"] == {"k": 2, "n_boot": 200, "seed": 0}
    document = json.loads(result.to_json(k=3, n_boot=200))
    assert document["format"] == "narrativediff.corpus_tables" and document["tables"]["blindspots"] == []
    with pytest.raises(InvalidParameterError, match="folder must be a folder for the CSV files"):
        result.to_csv(written["metadata"])


def test_corpus_view_in_a_notebook_and_as_a_page(corpus, tmp_path):
    import re

    frame, missing_outlet, result = corpus
    html = result._repr_html_()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("</style>", 1)[1]))
    assert f"Corpus of {len(frame)} articles from 3 outlets in {len(result.stories)} stories" in text
    for headline in result.stories["headline"]:
        assert html.count(_escaped(headline)) >= 1, headline
    assert "Blindspots (1:" in text and f" {missing_outlet} " in text
    scores = result.framing_scores()
    for row in scores.itertuples():  # the view shows the corpus's own intervals, not new ones
        assert f"{row.framing_score:.2f} [{row.framing_score_low:.2f}, {row.framing_score_high:.2f}]" in text
    assert "How to read this" in text and "B-cubed F1 0.973" in text
    page = result.to_html(tmp_path / "corpus.html")
    assert page.startswith("<!DOCTYPE html>") and (tmp_path / "corpus.html").read_text(encoding="utf-8") == page
    assert "<script" not in page


def test_corpus_view_escapes_article_text(triples, encoder):
    hostile = triples.copy()
    hostile.loc[0, "title"] = '<script>alert("x")</script> & more'
    result = nd.compare_corpus(hostile, model=encoder, compare_stories=False)
    html = result._repr_html_()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
    assert "The stories were not compared" in html


def _escaped(text):
    import html

    return html.escape(str(text), quote=True)


def test_top_stories_most_outlets_first(corpus):
    _, _, result = corpus
    ranked = result.top_stories()
    assert sorted(ranked["story_id"]) == sorted(result.stories["story_id"])
    keys = list(zip(-ranked["n_outlets"], -ranked["n_articles"], ranked["story_id"]))
    assert keys == sorted(keys)
    assert ranked["n_outlets"].iloc[-1] == 2  # the story one outlet left out comes last
    assert result.top_stories(1).equals(ranked.head(1))
    with pytest.raises(InvalidParameterError, match="n must be an integer of at least 0"):
        result.top_stories(-1)


GERMAN = ("Die Hafenarbeiter haben am Dienstag den Streik beendet, nachdem die Gewerkschaft und die "
          "Betreiber sich auf höhere Löhne geeinigt hatten. Der Hafen soll am Mittwoch wieder öffnen. "
          "Die Verhandlungen hatten drei Wochen gedauert.")


def test_language_is_given_or_detected_once_and_kept(triples, encoder, monkeypatch):
    """Each article's language is read once, in the representation pass, and the story comparisons
    reuse it: a language given in the input is kept as given (lower-cased) and never detected."""
    import narrativediff.text.tables as tables

    calls = []
    real = tables.detect_language

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(tables, "detect_language", counting)
    frame = triples[triples["gold"].isin(triples["gold"].unique()[:2])].reset_index(drop=True)
    frame = frame.assign(language=["EN"] + [None] * (len(frame) - 1))
    german = pd.DataFrame([{"source": "taz", "title": "Streik beendet", "text": GERMAN, "published": "2010-01-01"}])
    result = nd.compare_corpus(pd.concat([frame, german], ignore_index=True), model=encoder, cache=EmbeddingCache())
    assert len(calls) == len(frame)  # every article but the one given as "EN", read once
    assert result.articles["language"].tolist() == ["en"] * len(frame) + ["de"]
    assert len(result.story_framing) > 0
