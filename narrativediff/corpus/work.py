"""The two units of corpus work, written to run in this process or on a Dask worker.

* :func:`represent_batch` turns a batch of articles into one vector each (the mean of its sentence
  embeddings), embedding through the cache, so the comparisons later find every sentence cached.
* :func:`compare_story` compares one story's articles and returns only small tables.

Both take *specs* for the model and the cache instead of the objects when they run elsewhere:
a worker process loads the model once and keeps one :class:`EmbeddingCache` per folder.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from narrativediff.embed import DEFAULT_MODEL, EmbeddingCache, embed_texts, get_encoder
from narrativediff.exceptions import InvalidInputError, NarrativeDiffWarning

__all__ = ["CacheSpec", "represent_batch", "compare_story", "COMPONENTS", "PAIR_METRICS"]

#: The framing components averaged per outlet when the alignment has them.
COMPONENTS = ("word_choice", "attribution", "intensity", "actors")
PAIR_METRICS = ("framing_score", *COMPONENTS)


@dataclass(frozen=True)
class CacheSpec:
    """How a worker process opens the shared on-disk cache."""

    directory: str
    max_items: int


_WORKER_CACHES: dict[CacheSpec, EmbeddingCache] = {}
_WORKER_LOCK = threading.Lock()


def _cache(cache):
    if isinstance(cache, CacheSpec):
        with _WORKER_LOCK:
            if cache not in _WORKER_CACHES:
                # Results are not shared across stories; only embeddings are worth keeping here.
                _WORKER_CACHES[cache] = EmbeddingCache(directory=cache.directory, max_items=cache.max_items,
                                                      max_results=0)
            return _WORKER_CACHES[cache]
    return cache


def _encoder(model):
    return get_encoder(model)


def model_spec(encoder):
    """What to send a worker for ``encoder``: ``None`` for the bundled model as shipped, else the encoder."""
    if getattr(encoder, "label", None) == DEFAULT_MODEL and getattr(encoder, "name", None) == DEFAULT_MODEL:
        return None
    return encoder


def _sentences(article, splitter):
    from narrativediff.text.tables import sentence_tables

    sentences, _ = sentence_tables([article], splitter)
    return sentences


def represent_batch(records: list[tuple], model, cache, splitter=None, words: bool = False) -> dict:
    """Vectors for a batch of ``(article_id, source, text, title, language)`` records.

    With ``words``, the same forward pass also keeps the sentences' word vectors in ``cache``
    (:func:`narrativediff.embed.embed_texts`), but only while its word store has room for the whole
    batch: the stories compared later then find them and run no second pass, and a corpus larger
    than the store evicts nothing to make room (those stories' comparisons embed their words).

    Returns
    -------
    dict
        ``article_id`` (list), ``vectors`` (float32, one row per article, NaN rows for articles
        with no sentence left after cleaning), ``n_sentences``, ``headline`` (title or first
        sentence), ``language`` (the given or detected ISO 639-1 code; ``None`` for an article with
        no sentence), ``embedded`` (texts this call had to encode), ``sentences`` (texts seen).
    """
    from narrativediff.text.articles import Article

    encoder = _encoder(model)
    cache = _cache(cache)
    texts, spans, headlines, counts, languages = [], [], [], [], []
    for article_id, source, text, title, language in records:
        title = title if isinstance(title, str) else None
        try:
            sentences = _sentences(Article(source=source, text=text, title=title, language=language), splitter)
        except InvalidInputError:
            sentences = None
        if sentences is None or not len(sentences):
            spans.append(None)
            headlines.append(title)
            counts.append(0)
            languages.append(language)
            continue
        languages.append(str(sentences["language"].iat[0]))
        sentence_texts = sentences["text"].tolist()
        spans.append((len(texts), len(texts) + len(sentence_texts)))
        texts.extend(sentence_texts)
        headlines.append(title if title else sentence_texts[0])
        counts.append(len(sentence_texts))
    misses = cache.misses
    keep_words = words and cache.word_room() >= len(texts)
    embedded = (embed_texts(texts, encoder, cache=cache, words=keep_words) if texts
                else np.zeros((0, 0), np.float32))
    dim = embedded.shape[1] if embedded.size else 0
    vectors = np.full((len(records), max(dim, 1)), np.nan, dtype=np.float32)
    for row, span in enumerate(spans):
        if span is not None:
            mean = embedded[span[0]:span[1]].mean(axis=0)
            vectors[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return {"article_id": [r[0] for r in records], "vectors": vectors, "n_sentences": counts,
            "headline": headlines, "language": languages, "embedded": cache.misses - misses,
            "sentences": len(texts)}


def _pair_rows(story_id, alignment: pd.DataFrame) -> pd.DataFrame:
    """Per outlet in this story: pairs that involve it and the mean of each framing metric over them."""
    metrics = [m for m in PAIR_METRICS if m in alignment.columns]
    if "same_claim" in alignment.columns:
        alignment = alignment[alignment["same_claim"].fillna(False).astype(bool)]
    sides = pd.concat([alignment[["source_a", *metrics]].rename(columns={"source_a": "source"}),
                       alignment[["source_b", *metrics]].rename(columns={"source_b": "source"})],
                      ignore_index=True)
    if not len(sides):
        return pd.DataFrame(columns=["story_id", "source", "n_pairs", *metrics])
    grouped = sides.groupby("source", sort=True)
    table = grouped[metrics].mean()
    table.insert(0, "n_pairs", grouped.size())
    table = table.reset_index()
    table.insert(0, "story_id", story_id)
    return table


def compare_story(story_id, articles: list, model, cache, options: dict, keep: bool = False) -> dict:
    """Compare one story's articles (one per outlet) and return its small tables.

    Returns
    -------
    dict
        ``story_id``, ``profile`` (per-outlet pair counts and framing means), ``n_pairs``,
        ``groups`` (outlet to republishing group), ``embedded`` (texts encoded here), and the
        whole ``comparison`` when ``keep``.
    """
    from narrativediff.comparison import compare

    encoder = _encoder(model)
    cache = _cache(cache)
    misses = cache.misses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NarrativeDiffWarning)
        comparison = compare(articles, model=encoder, cache=cache, **options)
    result = {
        "story_id": story_id,
        "profile": _pair_rows(story_id, comparison.alignment),
        "n_pairs": int(len(comparison.alignment)),
        "groups": {str(k): str(v) for k, v in comparison.groups.items()},
        "embedded": cache.misses - misses,
    }
    if keep:
        result["comparison"] = comparison
    return result
