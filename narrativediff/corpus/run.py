"""compare_corpus(): read a corpus, find its stories, compare each story, gather the tables."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from narrativediff.corpus.engine import resolve_engine
from narrativediff.corpus.inputs import days_of, read_corpus
from narrativediff.corpus.result import ARTICLE_COLUMNS, STORY_COLUMNS, STORY_FRAMING_COLUMNS, Corpus
from narrativediff.corpus.stories import DEFAULT_WINDOW_DAYS, detect_stories
from narrativediff.corpus.work import PAIR_METRICS, compare_story, represent_batch
from narrativediff.embed import EmbeddingCache, check_cache, get_encoder
from narrativediff.exceptions import InvalidParameterError, check_count

__all__ = ["compare_corpus"]

_COMPARE_OPTIONS = {"threshold", "method", "match_headlines", "claim_floor", "splitter"}


def _articles(rows: pd.DataFrame) -> list:
    from narrativediff.text.articles import Article

    return [Article(source=r.source, text=r.text, title=r.title if isinstance(r.title, str) else None,
                    url=r.url if isinstance(r.url, str) else None,
                    published=None if pd.isna(r.published) else r.published.isoformat(),
                    language=r.language if isinstance(r.language, str) else None)
            for r in rows.itertuples(index=False)]


def _chosen(frame: pd.DataFrame) -> pd.Series:
    """Per story and outlet, the earliest published article (unknown dates last, then input order)."""
    placed = frame[frame["story_id"].notna()]
    order = placed.assign(_unknown=placed["published"].isna(), _position=np.arange(len(placed)))
    order = order.sort_values(["story_id", "source", "_unknown", "published", "_position"], kind="stable")
    first = order.drop_duplicates(["story_id", "source"]).index
    return pd.Series(frame.index.isin(first), index=frame.index)


def _story_table(articles: pd.DataFrame, vectors: np.ndarray, results: dict) -> tuple[pd.DataFrame, np.ndarray]:
    rows, similarity = [], np.full(len(articles), np.nan)
    placed = articles[articles["story_id"].notna()]
    for story_id, group in placed.groupby("story_id", sort=True):
        positions = articles.index.get_indexer(group.index)
        members = vectors[positions]
        centre = members.mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        closeness = members @ centre
        similarity[positions] = closeness
        outlets = tuple(sorted(group["source"].unique()))
        result = results.get(int(story_id))
        groups = result["groups"] if result else {}
        independent = len({groups.get(o, o) for o in outlets})
        rows.append({
            "story_id": int(story_id), "n_articles": len(group), "n_outlets": len(outlets), "outlets": outlets,
            "first_published": group["published"].min(), "last_published": group["published"].max(),
            "headline": group["headline"].iloc[int(np.argmax(closeness))],
            "cohesion": float(closeness.mean()), "n_independent": independent,
            "n_pairs": result["n_pairs"] if result else 0,
        })
    return pd.DataFrame(rows, columns=STORY_COLUMNS), similarity


def compare_corpus(articles, *, model=None, engine=None, cache=None, threshold="auto",
                   window: float | None = DEFAULT_WINDOW_DAYS, neighbors: int = 20, index: str = "auto",
                   batch_size: int = 32, compare_options: dict | None = None, keep_comparisons: bool = False,
                   keep_vectors: bool = False, compare_stories: bool = True, progress: bool = False,
                   seed: int = 0) -> Corpus:
    """Find the stories in a corpus of many outlets' articles and compare each story.

    Parameters
    ----------
    articles : DataFrame, str or path-like
        A DataFrame with ``source`` and ``text`` (or ``html``) and optional ``article_id``,
        ``title``, ``published``, ``url``, ``language`` (ISO 639-1; each article's is detected once
        where it is missing) and other metadata columns; a ``.parquet`` or
        ``.jsonl`` file of such rows; or a folder of such files or of one subfolder per outlet
        holding ``.txt`` articles (see :func:`narrativediff.corpus.inputs.read_corpus`).
    model : None, str, path-like, SentenceTransformer or Encoder, optional
        The sentence model; ``None`` is the bundled all-MiniLM-L6-v2.
    engine : None, "in-process", "dask", str, distributed.Client or DaskEngine, optional
        Where the work runs: this process (default), a local Dask cluster started for the call,
        a Dask scheduler address, or a connected Client. Every engine gives the same tables.
    cache : EmbeddingCache, optional
        Embeddings are looked up and stored here. With a ``directory``, a rerun (or a run after an
        interrupted one) embeds only the sentences not yet on disk, and Dask workers share it.
    threshold : float or "auto", default "auto"
        Story-detection cut on the cosine of article vectors; ``"auto"`` estimates it from the
        corpus (see :mod:`narrativediff.corpus.stories`).
    window : float or None, default 7.0
        Articles published more than this many days apart are never one story; ``None`` ignores
        dates. Articles without a date may join any story.
    neighbors : int, default 20
        Candidate neighbours per article in story detection.
    index : {"auto", "exact", "hnsw"}, default "auto"
        Exact neighbour search in bounded blocks, or hnswlib's approximate index (``"auto"``: from
        20,000 articles on).
    batch_size : int, default 32
        Articles per representation task.
    compare_options : dict, optional
        Passed to :func:`narrativediff.compare` for each story (``threshold``, ``method``,
        ``match_headlines``, ``claim_floor``, ``splitter``).
    keep_comparisons : bool, default False
        Keep every story's :class:`~narrativediff.Comparison` (memory grows with the corpus);
        otherwise :meth:`Corpus.comparison` computes one again from the cache when asked.
    keep_vectors : bool, default False
        Keep the article vectors as ``Corpus.vectors``.
    compare_stories : bool, default True
        Compare each story's outlets; ``False`` only finds the stories (no ``story_framing``,
        ``n_pairs`` 0), which costs one encoding of every sentence and nothing more.
    progress : bool, default False
        Show progress bars (needs tqdm).
    seed : int, default 0
        Seeds the threshold estimate and the approximate index.

    Returns
    -------
    Corpus

    Raises
    ------
    InvalidInputError
        The corpus cannot be read or an article is malformed.
    InvalidParameterError
        An option outside its allowed values.
    MissingDependencyError
        ``engine="dask"``, ``index="hnsw"``, Parquet input or ``progress=True`` without its extra
        (``pip install narrativediff[corpus]``).

    Notes
    -----
    Work goes in two passes, each a list of small tasks: articles in batches are cleaned, split
    and embedded (through the cache) into one vector each, the mean of their sentences'; stories
    are found from those vectors; then each story's articles (one per outlet: the earliest
    published) are compared on their own, finding their sentences in the cache. Only tables are
    kept, so memory grows with the largest story, not with the corpus (plus the article vectors
    and the cache's in-memory part). An outlet's other articles in the story stay listed in
    ``Corpus.articles`` with ``in_comparison`` False.

    Examples
    --------
    >>> import pandas as pd, narrativediff as nd
    >>> frame = pd.DataFrame({"source": ["A", "B", "A"], "text": [
    ...     "The port of Velmora reopened on Monday after a week-long strike by dock workers.",
    ...     "Dock workers ended their strike and the port of Velmora reopened on Monday.",
    ...     "The national football team won the cup final on Saturday evening."]})
    >>> corpus = nd.compare_corpus(frame, threshold=0.6)
    >>> corpus.articles["story_id"].tolist()
    [0, 0, 1]
    """
    started = time.perf_counter()
    options = dict(compare_options or {})
    unknown = sorted(set(options) - _COMPARE_OPTIONS)
    if unknown:
        raise InvalidParameterError(f"compare_options may hold {sorted(_COMPARE_OPTIONS)}; got {unknown}.")
    check_count("batch_size", batch_size)
    splitter = options.get("splitter")
    timings = {}
    frame = read_corpus(articles)
    timings["read"] = time.perf_counter() - started
    encoder = get_encoder(model, progress=progress)
    cache = check_cache(cache)
    runner = resolve_engine(engine)
    embedded = 0
    with runner:
        model_arg, cache_arg = runner.prepare(encoder, cache)

        clock = time.perf_counter()
        records = list(zip(frame["article_id"], frame["source"], frame["text"], frame["title"], frame["language"]))
        # In process, the representation pass keeps word vectors for the story comparisons (while
        # they fit); a worker's cache is its own, so there they would only be thrown away.
        words = compare_stories and isinstance(cache_arg, EmbeddingCache)
        tasks = [(records[i:i + batch_size], model_arg, cache_arg, splitter, words)
                 for i in range(0, len(records), batch_size)]
        vectors = None
        n_sentences = np.zeros(len(frame), dtype=int)
        headlines = [None] * len(frame)
        languages = list(frame["language"])
        total_sentences = 0
        for position, result in runner.map(represent_batch, tasks, desc="articles", progress=progress):
            start = position * batch_size
            if vectors is None or (result["vectors"].shape[1] > vectors.shape[1] and not np.isfinite(vectors).any()):
                vectors = np.full((len(frame), result["vectors"].shape[1]), np.nan, dtype=np.float32)
            if result["vectors"].shape[1] == vectors.shape[1]:
                vectors[start:start + len(result["article_id"])] = result["vectors"]
            n_sentences[start:start + len(result["article_id"])] = result["n_sentences"]
            headlines[start:start + len(result["article_id"])] = result["headline"]
            languages[start:start + len(result["article_id"])] = result["language"]
            embedded += result["embedded"]
            total_sentences += result["sentences"]
        del tasks, records
        timings["represent"] = time.perf_counter() - clock

        clock = time.perf_counter()
        usable = n_sentences > 0
        found = detect_stories(vectors[usable], days_of(frame["published"])[usable], threshold=threshold,
                               window=window, neighbors=neighbors, index=index, seed=seed)
        story = pd.array([pd.NA] * len(frame), dtype="Int64")
        story[np.flatnonzero(usable)] = found.labels
        frame["story_id"] = story
        frame["headline"] = headlines
        frame["language"] = pd.Series(languages, index=frame.index, dtype=object)  # given, else detected once
        frame["n_sentences"] = n_sentences
        frame["in_comparison"] = _chosen(frame)
        timings["stories"] = time.perf_counter() - clock

        clock = time.perf_counter()
        compare_args = {k: v for k, v in options.items()}
        chosen = frame[frame["in_comparison"]]
        story_tasks = []
        for story_id, group in chosen.groupby("story_id", sort=True):
            if len(group) >= 2 and compare_stories:
                story_tasks.append((int(story_id), _articles(group), model_arg, cache_arg, compare_args,
                                    keep_comparisons))
        results, kept, profiles = {}, {}, []
        for _, result in runner.map(compare_story, story_tasks, desc="stories", progress=progress):
            embedded += result["embedded"]
            profiles.append(result["profile"])
            if keep_comparisons:
                kept[result["story_id"]] = result.pop("comparison")
            results[result["story_id"]] = result
        del story_tasks
        timings["compare"] = time.perf_counter() - clock
        engine_name = runner.name

    stories, similarity = _story_table(frame, vectors, results)
    frame["story_similarity"] = similarity
    metadata = [c for c in frame.columns if c not in ARTICLE_COLUMNS and c != "text"]
    table = frame[ARTICLE_COLUMNS + metadata].reset_index(drop=True)
    framing = (pd.concat([p for p in profiles if len(p)], ignore_index=True) if any(len(p) for p in profiles)
               else pd.DataFrame(columns=[*STORY_FRAMING_COLUMNS, *PAIR_METRICS]))
    framing = framing.sort_values(["story_id", "source"], kind="stable").reset_index(drop=True)
    timings["total"] = time.perf_counter() - started
    from narrativediff.comparison import compare

    return Corpus(
        articles=table, stories=stories, story_framing=framing, threshold_=found.threshold,
        threshold_rule=found.threshold_rule, window=window, index=found.index, model=encoder.name,
        engine=engine_name, timings=timings, embedded=int(embedded), n_sentences=int(total_sentences),
        vectors=vectors if keep_vectors else None,
        _texts=frame[["source", "text", "title", "url", "published", "language"]].reset_index(drop=True),
        _compare=lambda rows: compare(_articles(rows), model=encoder, cache=cache, **compare_args),
        _kept=kept,
    )
