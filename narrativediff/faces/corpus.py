"""A Corpus to files: its tables as CSV, Parquet or JSON, with the run's metadata.

The tables are the Corpus's own (:attr:`~narrativediff.corpus.Corpus.articles`, ``stories``,
``story_framing``) and what its methods compute (``summary()``, ``coverage``,
``blindspots(k)``, ``framing_scores()``); this module only lays them out for files and writes
them, through the same writers as a Comparison's tables (:func:`narrativediff.faces.report.write_csv`,
:func:`narrativediff.faces.store.write_parquet`, :func:`narrativediff.faces.store.write_json`).
"""

from __future__ import annotations

__all__ = ["tables", "metadata", "to_csv", "to_parquet", "to_json"]

#: The JSON document's format name (a Comparison's is ``narrativediff.tables``).
FORMAT = "narrativediff.corpus_tables"


def tables(corpus, *, k: int = 2, n_boot: int = 1000, seed: int = 0) -> dict:
    """Every table of a Corpus by name, laid out for files.

    Parameters
    ----------
    corpus : Corpus
    k : int, default 2
        Independent outlets a story needs for the ``blindspots`` table (:meth:`Corpus.blindspots`).
    n_boot, seed : int
        Resamples and seed of the ``framing_scores`` intervals (:meth:`Corpus.framing_scores`).

    Returns
    -------
    dict of DataFrame
        ``summary`` (one row per outlet), ``articles``, ``stories`` (``outlets`` as one
        comma-separated text, so that every format holds it alike), ``story_framing``,
        ``coverage`` (long form: ``source, story_id, n_articles``, one row per outlet and story),
        ``blindspots`` and ``framing_scores``.
    """
    coverage = corpus.coverage.stack().rename("n_articles").reset_index()
    stories = corpus.stories.assign(outlets=corpus.stories["outlets"].map(", ".join))
    return {
        "summary": corpus.summary().reset_index(),
        "articles": corpus.articles,
        "stories": stories,
        "story_framing": corpus.story_framing,
        "coverage": coverage[["source", "story_id", "n_articles"]],
        "blindspots": corpus.blindspots(k),
        "framing_scores": corpus.framing_scores(n_boot=n_boot, seed=seed),
    }


def metadata(corpus, **options) -> dict:
    """What describes the run besides its tables: model, engine, story-detection settings, timings, counts."""
    from narrativediff import __version__

    return {
        "narrativediff": __version__,
        "sources": list(corpus.sources),
        "model": corpus.model,
        "engine": corpus.engine,
        "threshold": float(corpus.threshold_),
        "threshold_rule": corpus.threshold_rule,
        "window": corpus.window,
        "index": corpus.index,
        "n_articles": int(len(corpus.articles)),
        "n_stories": int(len(corpus.stories)),
        "n_sentences": int(corpus.n_sentences),
        "embedded": int(corpus.embedded),
        "timings": {name: float(seconds) for name, seconds in corpus.timings.items()},
        "tables": {name: value for name, value in options.items()},
    }


def to_csv(corpus, folder, **options) -> dict:
    """Write every table of :func:`tables` as ``<folder>/<name>.csv``; return ``{name: path}``.

    ``options`` are those of :func:`tables`. Text cells are written as
    :func:`narrativediff.faces.report.to_csv` writes them (never run as a spreadsheet formula).
    """
    from narrativediff.faces.report import write_csv

    return write_csv(tables(corpus, **options), folder)


def to_parquet(corpus, folder, **options) -> dict:
    """Every table as ``<folder>/<name>.parquet`` and the metadata as ``metadata.json`` (needs pyarrow)."""
    from narrativediff.faces.store import write_parquet

    return write_parquet(tables(corpus, **options), metadata(corpus, **options), folder)


def to_json(corpus, path=None, *, indent: int | None = None, **options) -> str:
    """Every table as JSON records with the run's metadata (format ``narrativediff.corpus_tables``)."""
    from narrativediff.faces.store import write_json

    return write_json(tables(corpus, **options), metadata(corpus, **options), path, indent=indent,
                      format_name=FORMAT)
