"""Corpus: story detection quality, throughput, Dask workers, and memory as the corpus grows.

Story detection is scored on BASIL dev (``<data_dir>/basil/basil_dev_sentences.jsonl``): the 72 event
triples' articles mixed into one corpus, gold stories = ``triplet_uuid``, scored by B-cubed F1 and
the adjusted Rand index. Nothing is tuned on it: ``threshold="auto"`` reads its cut from the
corpus's own far-apart pairs (see :mod:`narrativediff.corpus.stories`), the window is the default
7 days. Baselines in the same run: TF-IDF vectors with the same average-link clustering and the
same auto rule, and sentence-transformers ``util.community_detection`` on our article vectors with
its default threshold (0.75). The threshold sweep is reported for sensitivity, not used to choose.
A second mix adds the seed articles and the bundled port-strike example (two undated stories of
raw web text) to BASIL.

Throughput is measured with a cold cache on a subset: sentences per second of the corpus pass that
represents articles (clean, split, embed, mean) and finds stories, against a bare
``encoder.encode`` of the same sentences; the full pipeline (each story compared) is reported too.
Dask: the same cold pass on 1 and on 2 local workers. Memory: peak traced Python allocations
(tracemalloc, numpy included; the model's weights are not) of story detection on synthetic
corpora made of BASIL repeated with dates shifted by 60 days per copy, up to 10,105 articles, with a
cache that keeps nothing in memory (everything read from disk). End to end: 2,150 articles (BASIL ten
times), every story compared.

Embeddings for measurement are kept under ``$NARRATIVEDIFF_BENCH_CACHE`` (default
``/tmp/narrativediff-bench-cache``); cold runs use fresh temporary folders.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import tracemalloc
from collections import OrderedDict
from pathlib import Path

import numpy as np

NAME = "corpus"
_CACHE = Path(os.environ.get("NARRATIVEDIFF_BENCH_CACHE", "/tmp/narrativediff-bench-cache"))


def _basil(data_dir):
    import pandas as pd

    from narrativediff.exceptions import DataNotFoundError

    path = Path(data_dir) / "basil" / "basil_dev_sentences.jsonl"
    if not path.is_file():
        raise DataNotFoundError(f"BASIL dev is not at {path}; pass data_dir the folder that holds basil/.")
    articles: OrderedDict[str, dict] = OrderedDict()
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            article = articles.setdefault(row["article_uuid"], {
                "article_id": row["article_uuid"], "source": row["source"], "title": row["title"],
                "published": row["date"], "gold": row["triplet_uuid"], "paragraphs": OrderedDict()})
            article["paragraphs"].setdefault(row["para_idx"], []).append(row["text"])
    rows = [{**{k: v for k, v in a.items() if k != "paragraphs"},
             "text": "\n".join(" ".join(p) for p in a["paragraphs"].values())} for a in articles.values()]
    return pd.DataFrame(rows)


def _extra_stories(data_dir):
    """The seeds and the bundled example as two undated stories."""
    import pandas as pd

    import narrativediff as nd

    rows = []
    for gold, folder in (("seeds", Path(data_dir) / "seeds"), ("port_strike", nd.example_path())):
        for article in nd.load_articles(folder):
            rows.append({"article_id": f"{gold}/{article.source}", "source": article.source, "title": article.title,
                         "published": None, "gold": gold, "text": article.text})
    return pd.DataFrame(rows)


def bcubed_f1(gold, predicted) -> float:
    """B-cubed F1 (Bagga and Baldwin 1998): per-item precision and recall of its cluster, averaged."""
    gold, predicted = np.asarray(gold, dtype=object), np.asarray(predicted, dtype=object)
    precision = recall = 0.0
    for item in range(len(gold)):
        mine, true = predicted == predicted[item], gold == gold[item]
        both = np.count_nonzero(mine & true)
        precision += both / np.count_nonzero(mine)
        recall += both / np.count_nonzero(true)
    precision, recall = precision / len(gold), recall / len(gold)
    return 2 * precision * recall / (precision + recall)


def _scores(gold, predicted) -> dict:
    from sklearn.metrics import adjusted_rand_score

    return {"bcubed_f1": round(bcubed_f1(gold, predicted), 4),
            "ari": round(float(adjusted_rand_score(list(gold), list(predicted))), 4),
            "n_predicted": int(len(set(predicted))), "n_gold": int(len(set(gold)))}


def _tfidf_baseline(frame, days, window):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from narrativediff.corpus.stories import detect_stories

    texts = (frame["title"].fillna("") + "\n" + frame["text"]).tolist()
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(texts)
    dense = vectors.toarray().astype(np.float32)
    found = detect_stories(dense, days, threshold="auto", window=window)
    return found.labels, found.threshold


def _community_baseline(vectors, threshold=0.75):
    import torch
    from sentence_transformers import util

    communities = util.community_detection(torch.from_numpy(vectors), threshold=threshold, min_community_size=1)
    labels = np.full(len(vectors), -1)
    for k, members in enumerate(communities):
        labels[list(members)] = k
    return labels


def _detection(frame, encoder, cache, seed) -> dict:
    import narrativediff as nd
    from narrativediff.corpus.inputs import days_of
    from narrativediff.corpus.stories import detect_stories

    corpus = nd.compare_corpus(frame, model=encoder, cache=cache, compare_stories=False, keep_vectors=True, seed=seed)
    gold = frame["gold"].to_numpy(dtype=object)
    days = days_of(corpus.articles["published"])
    result = {"ours": {**_scores(gold, corpus.articles["story_id"].to_numpy()),
                       "threshold": round(corpus.threshold_, 4), "rule": corpus.threshold_rule}}
    undated = detect_stories(corpus.vectors, days, threshold="auto", window=None, seed=seed)
    result["ours_ignoring_dates"] = {**_scores(gold, undated.labels), "threshold": round(undated.threshold, 4),
                                     "rule": undated.threshold_rule}
    labels, cut = _tfidf_baseline(frame, days, 7.0)
    result["tfidf_average_link"] = {**_scores(gold, labels), "threshold": round(cut, 4)}
    labels, _ = _tfidf_baseline(frame, days, None)
    result["tfidf_average_link_ignoring_dates"] = _scores(gold, labels)
    result["st_community_detection"] = _scores(gold, _community_baseline(corpus.vectors))
    result["sensitivity_bcubed_f1"] = {
        f"{cut:.2f}": round(bcubed_f1(gold, detect_stories(corpus.vectors, days, threshold=cut).labels), 4)
        for cut in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)}
    return result


def _sentences_of(frame):
    from narrativediff.text.articles import Article
    from narrativediff.text.tables import sentence_tables

    texts = []
    for row in frame.itertuples():
        texts.extend(sentence_tables([Article(source=row.source, text=row.text, title=row.title)])[0]["text"])
    return texts


def _throughput(frame, encoder, quick) -> dict:
    import narrativediff as nd
    from narrativediff.embed import EmbeddingCache

    texts = list(dict.fromkeys(_sentences_of(frame)))
    started = time.perf_counter()
    encoder.encode(texts)
    bare = time.perf_counter() - started
    out = {"articles": len(frame), "distinct_sentences": len(texts), "bare_encode_sentences_per_s": len(texts) / bare}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        corpus = nd.compare_corpus(frame, model=encoder, cache=EmbeddingCache(directory=folder), compare_stories=False)
        seconds = time.perf_counter() - started
    out.update(detect_sentences_per_s=corpus.n_sentences / seconds, detect_articles_per_s=len(frame) / seconds,
               detect_embedded=corpus.embedded, ratio_to_bare=(len(texts) / seconds) / (len(texts) / bare))
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        full = nd.compare_corpus(frame, model=encoder, cache=EmbeddingCache(directory=folder))
        seconds = time.perf_counter() - started
    out.update(full_articles_per_s=len(frame) / seconds, full_sentences_per_s=full.n_sentences / seconds,
               full_timings={k: round(v, 2) for k, v in full.timings.items()},
               full_ratio_to_bare=(full.n_sentences / seconds) / (len(texts) / bare))
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def _dask(frame, encoder) -> dict:
    import narrativediff as nd
    from narrativediff.corpus import DaskEngine
    from narrativediff.embed import EmbeddingCache

    out = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            engine = DaskEngine(n_workers=workers)
            started = time.perf_counter()
            corpus = nd.compare_corpus(frame, model=encoder, engine=engine, cache=EmbeddingCache(directory=folder),
                                       compare_stories=False)
            out[f"workers_{workers}_s"] = round(time.perf_counter() - started, 2)
            out[f"workers_{workers}_sentences_per_s"] = round(corpus.n_sentences / out[f"workers_{workers}_s"], 2)
            out[f"workers_{workers}_represent_s"] = round(corpus.timings["represent"], 2)
    out["speedup_2_over_1"] = round(out["workers_1_s"] / out["workers_2_s"], 3)
    return out


def _growth(frame, encoder, copies, threshold) -> dict:
    import narrativediff as nd
    from narrativediff.embed import EmbeddingCache

    rows = []
    for count in copies:
        big = _copies(frame, count)
        tracemalloc.start()
        started = time.perf_counter()
        # The copies repeat BASIL word for word 60 days apart, which would inflate the auto rule's null
        # (identical far-apart pairs): the cut is the one auto chose on one copy.
        corpus = nd.compare_corpus(big, model=encoder, cache=EmbeddingCache(directory=_CACHE, max_items=0),
                                   compare_stories=False, threshold=threshold)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append({"articles": len(big), "seconds": round(seconds, 2), "peak_traced_mb": round(peak / 2**20, 1),
                     "bcubed_f1": round(bcubed_f1(big["gold"], corpus.articles["story_id"]), 4)})
    sizes = np.array([r["articles"] for r in rows], dtype=float)
    if len(rows) >= 2:
        slope = np.polyfit(np.log(sizes), np.log([r["seconds"] for r in rows]), 1)[0]
        per_article = np.polyfit(sizes, [r["peak_traced_mb"] for r in rows], 1)[0]
    else:
        slope = per_article = float("nan")
    return {"runs": rows, "time_exponent": round(float(slope), 3),
            "peak_mb_per_1000_articles": round(float(per_article) * 1000, 2)}


def _copies(frame, count):
    """``count`` copies of ``frame``, each 60 days after the last, with their own ids and gold stories."""
    import pandas as pd

    parts = []
    for copy in range(count):
        shifted = frame.copy()
        shifted["published"] = (pd.to_datetime(shifted["published"]) + pd.Timedelta(days=60 * copy)).astype(str)
        shifted["article_id"] = shifted["article_id"] + f"#{copy}"
        shifted["gold"] = shifted["gold"] + f"#{copy}"
        parts.append(shifted)
    return pd.concat(parts, ignore_index=True)


def _end_to_end(frame, encoder, copies, threshold) -> dict:
    """The whole pipeline (every story compared) on ``copies`` copies of ``frame``, timed once.

    Embeddings come from the shared on-disk cache (the copies repeat BASIL's text, so each distinct
    sentence, view and word is embedded once over all runs); what is measured is everything else:
    reading, story detection and one comparison per story. Peak memory is the process's high-water
    mark (``VmHWM``) after resetting it, less the resident size before the call.
    """
    import narrativediff as nd
    from benchmarks.suites.scaling import _reset_peak, _status_kb
    from narrativediff.embed import EmbeddingCache

    big = _copies(frame, copies)
    before = _status_kb("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    corpus = nd.compare_corpus(big, model=encoder, cache=EmbeddingCache(directory=_CACHE), threshold=threshold)
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM") if reset else None
    compared = corpus.story_framing["story_id"].nunique() if len(corpus.story_framing) else 0
    return {"articles": len(big), "sentences": int(corpus.n_sentences), "stories": int(len(corpus.stories)),
            "stories_compared": int(compared), "seconds": round(seconds, 1),
            "articles_per_s": round(len(big) / seconds, 2), "sentences_per_s": round(corpus.n_sentences / seconds, 1),
            "timings": {k: round(v, 1) for k, v in corpus.timings.items()},
            "embedded": int(corpus.embedded),
            "peak_rss_above_start_mb": round((peak - before) / 1024, 1) if peak and before else None,
            "bcubed_f1": round(bcubed_f1(big["gold"], corpus.articles["story_id"]), 4)}


def run(data_dir=None, *, quick: bool = False, seed: int = 0) -> dict:
    """Measure story detection, throughput, Dask and memory growth (see the module docstring)."""
    import pandas as pd

    from narrativediff.embed import EmbeddingCache, get_encoder

    data_dir = Path(data_dir) if data_dir is not None else Path(__file__).resolve().parents[3] / "shared" / "data"
    basil = _basil(data_dir)
    stories = basil["gold"].unique()
    if quick:
        basil = basil[basil["gold"].isin(stories[:8])].reset_index(drop=True)
    encoder = get_encoder()
    cache = EmbeddingCache(directory=_CACHE)
    metrics = {"basil": _detection(basil, encoder, cache, seed)}
    mix = pd.concat([basil, _extra_stories(data_dir)], ignore_index=True)
    metrics["basil_plus_seeds_and_example"] = _detection(mix, encoder, cache, seed)
    subset = basil[basil["gold"].isin(stories[:2 if quick else 10])].reset_index(drop=True)
    metrics["throughput"] = _throughput(subset, encoder, quick)
    metrics["dask"] = _dask(basil[basil["gold"].isin(stories[:2 if quick else 10])].reset_index(drop=True), encoder)
    cut = metrics["basil"]["ours"]["threshold"]
    metrics["growth"] = _growth(basil, encoder, (1, 2) if quick else (1, 2, 4, 8, 16, 47), cut)
    metrics["end_to_end"] = _end_to_end(subset if quick else basil, encoder, 2 if quick else 10, cut)
    return {
        "name": NAME,
        "metrics": metrics,
        "baselines": {
            "basil": {k: v for k, v in metrics["basil"].items() if k.startswith(("tfidf", "st_"))},
            "bare_encode_sentences_per_s": metrics["throughput"]["bare_encode_sentences_per_s"],
        },
        "targets": {"basil_bcubed_f1": 0.95, "detect_ratio_to_bare": 0.9},
        "notes": [
            "nothing tuned on BASIL dev: threshold='auto' (null quantile of pairs > 30 days apart, 0.05 expected false "
            "links per article), window 7 days (default); the sensitivity sweep is for reading only",
            "ours_ignoring_dates: window=None in clustering, the auto cut still read from dated far-apart pairs; a corpus "
            "with no dates at all falls back to 0.7, fixed after looking at BASIL dev similarities (not an untuned figure)",
            "tfidf_average_link: the same auto rule on TF-IDF vectors hits its floor 0.5; TF-IDF cosines run lower than "
            "MiniLM's, so this baseline is handicapped by a rule made for embeddings",
            "st_community_detection: sentence-transformers util.community_detection, default threshold 0.75, on our "
            "article vectors (mean of sentence embeddings), no dates",
            "throughput subsets: 10 BASIL triples (2 in quick), cold cache in a temporary folder; the machine is shared, "
            "so absolute rates vary between runs; ratios are from the same run",
            "growth: BASIL repeated with dates shifted 60 days per copy (up to 47 copies, 10,105 articles), "
            "representation and detection only, cache read from disk (max_items=0); peak traced by tracemalloc",
            "end_to_end: BASIL repeated 10 times (2,150 articles), every story compared, embeddings from the shared "
            "disk cache; seconds are for everything beyond the model",
        ],
    }


if __name__ == "__main__":
    import pprint

    pprint.pprint(run(quick=True))
