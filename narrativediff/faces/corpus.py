"""A Corpus's faces: its tables as CSV, Parquet or JSON with the run's metadata, and its view.

The tables are the Corpus's own (:attr:`~narrativediff.corpus.Corpus.articles`, ``stories``,
``story_framing``) and what its methods compute (``summary()``, ``coverage``,
``blindspots(k)``, ``framing_scores()``); this module only lays them out for files and writes
them, through the same writers as a Comparison's tables (:func:`narrativediff.faces.report.write_csv`,
:func:`narrativediff.faces.store.write_parquet`, :func:`narrativediff.faces.store.write_json`).
"""

from __future__ import annotations

__all__ = [
    "corpus_data",
    "corpus_html",
    "metadata",
    "render_corpus",
    "tables",
    "to_csv",
    "to_html",
    "to_json",
    "to_parquet",
]

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
        "n_articles": len(corpus.articles),
        "n_stories": len(corpus.stories),
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


# --------------------------------------------------------------------------- the view


def corpus_data(corpus, *, k: int = 2, limits: dict | None = None, n_boot: int = 1000, seed: int = 0) -> dict:
    """Plain-dict view of a Corpus: header values, the tables as text, and how to read them.

    Parameters
    ----------
    corpus : Corpus
    k : int, default 2
        Independent outlets a story needs for the blindspots.
    limits : dict, optional
        ``rows``: at most this many rows of the stories and blindspots tables (each says how many
        it left out); ``None`` shows every row.
    n_boot, seed : int
        Of the framing intervals (:meth:`Corpus.framing_scores`).

    Returns
    -------
    dict
        ``sources``, ``model``, ``engine``, ``threshold``, ``threshold_rule``, ``window``, ``k``,
        ``counts`` (articles, outlets, stories, multi, sentences, blindspots), ``summary``,
        ``stories`` (widest first), ``blindspots`` and ``framing`` (tables as
        :func:`~narrativediff.faces.display.table_data` gives them; ``framing`` is ``None`` when no
        story was compared) and ``reading`` (:func:`narrativediff.faces.reading.corpus_entries`).
    """
    import pandas as pd

    from narrativediff.faces import reading
    from narrativediff.faces.display import table_data

    rows = (limits or {}).get("rows")
    stories = corpus.top_stories()
    shown = pd.DataFrame({
        "story": stories["story_id"], "outlets": stories["outlets"].map(", ".join),
        "articles": stories["n_articles"], "first published": _day(stories["first_published"]),
        "aligned pairs": stories["n_pairs"], "cohesion": stories["cohesion"], "headline": stories["headline"],
    })
    blind = corpus.blindspots(k)
    blind_shown = pd.DataFrame({"outlet": blind["source"], "story": blind["story_id"],
                                "outlets reporting it": blind["n_independent"],
                                "first published": _day(blind["first_published"]), "headline": blind["headline"]})
    framing = None
    if len(corpus.story_framing):
        scores = corpus.framing_scores(n_boot=n_boot, seed=seed)
        framing = table_data(pd.DataFrame({
            "outlet": scores["source"], "stories": scores["n_stories"], "same-claim pairs": scores["n_pairs"],
            "framing": [f"{v:.2f} [{lo:.2f}, {hi:.2f}]" for v, lo, hi in
                        zip(scores["framing_score"], scores["framing_score_low"], scores["framing_score_high"])],
        }))
    return {
        "sources": list(corpus.sources), "model": corpus.model, "engine": corpus.engine,
        "threshold": float(corpus.threshold_), "threshold_rule": corpus.threshold_rule, "window": corpus.window,
        "k": k,
        "counts": {"articles": len(corpus.articles), "outlets": len(corpus.sources),
                   "stories": len(corpus.stories), "multi": int((corpus.stories["n_outlets"] >= 2).sum()),
                   "sentences": int(corpus.n_sentences), "blindspots": len(blind)},
        "summary": table_data(corpus.summary().reset_index()),
        "stories": table_data(shown, max_rows=rows),
        "blindspots": table_data(blind_shown, max_rows=rows),
        "framing": framing,
        "reading": reading.corpus_entries(),
    }


def _day(values):
    """Dates as ``YYYY-MM-DD`` text (empty where unknown)."""
    import pandas as pd

    dates = pd.to_datetime(values, utc=True, errors="coerce")
    return [d.strftime("%Y-%m-%d") if not pd.isna(d) else "" for d in dates]


def render_corpus(data: dict, *, root_id: str | None = None, open_reading: bool = False) -> str:
    """Render :func:`corpus_data`'s dict as one HTML fragment (``faces/templates/corpus.html.j2``)."""
    import uuid

    from narrativediff.faces.display import _scoped_css, _template

    root_id = root_id or f"nd-corpus-{uuid.uuid4().hex[:12]}"
    return _template("corpus.html.j2").render(data=data, root_id=root_id, css=_scoped_css(root_id),
                                              open_reading=open_reading)


def corpus_html(corpus, *, k: int = 2, limits: dict | None = None) -> str:
    """The notebook view of a Corpus as one HTML fragment (what ``Corpus._repr_html_`` shows)."""
    return render_corpus(corpus_data(corpus, k=k, limits=limits))


def to_html(corpus, path=None, *, k: int = 2, title: str | None = None) -> str:
    """The corpus view as one self-contained HTML page (every row); written to ``path`` when given.

    Returns
    -------
    str
        The document: inline CSS, nothing fetched, "How to read this" unfolded.
    """
    from datetime import datetime, timezone

    from markupsafe import Markup

    from narrativediff import __version__
    from narrativediff.faces.display import _css, _template
    from narrativediff.faces.report import _names, write_text

    view = Markup(render_corpus(corpus_data(corpus, k=k), root_id="nd-report", open_reading=True))
    title = title or f"narrativediff corpus: {_names(corpus.sources)}"
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = _template("corpus_report.html.j2").render(title=title, version=__version__, made=made,
                                                     css=Markup(_css("report.css")), view=view) + "\n"
    if path is not None:
        write_text(path, page, what="the report")
    return page
