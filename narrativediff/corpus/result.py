"""Corpus: the tables of a many-story comparison, and each story's Comparison on demand."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from narrativediff.exceptions import (
    InvalidInputError,
    InvalidParameterError,
    check_count,
)

__all__ = ["ARTICLE_COLUMNS", "BLINDSPOT_COLUMNS", "STORY_COLUMNS", "STORY_FRAMING_COLUMNS", "Corpus"]

#: ``Corpus.articles`` starts with these; any other input columns follow as metadata.
ARTICLE_COLUMNS = ["article_id", "source", "story_id", "title", "published", "url", "language", "headline",
                   "n_sentences", "in_comparison", "story_similarity"]
STORY_COLUMNS = ["story_id", "n_articles", "n_outlets", "outlets", "first_published", "last_published",
                 "headline", "cohesion", "n_independent", "n_pairs"]
BLINDSPOT_COLUMNS = ["source", "story_id", "n_outlets", "n_independent", "headline", "first_published"]
STORY_FRAMING_COLUMNS = ["story_id", "source", "n_pairs"]
_KEPT_ON_DEMAND = 4


@dataclass(repr=False, eq=False)
class Corpus:
    """The result of :func:`narrativediff.compare_corpus`: stories found in a corpus and how outlets tell them.

    Attributes
    ----------
    articles : DataFrame
        One row per article (:data:`ARTICLE_COLUMNS`, then the input's other columns):
        ``story_id`` (``<NA>`` for an article with no sentence left after cleaning), ``headline``
        (title, else first sentence), ``language`` (the given ISO 639-1 code, else the one detected
        when the article was read; the story comparisons use it), ``in_comparison`` (whether it is
        its outlet's article in its story's comparison: the earliest published, ties and unknown
        dates in input order),
        ``story_similarity`` (cosine of the article to its story's mean vector).
    stories : DataFrame
        One row per story (:data:`STORY_COLUMNS`): ``outlets`` a sorted tuple, ``headline`` the
        headline of the article closest to the story's mean, ``cohesion`` the mean
        ``story_similarity``, ``n_independent`` outlets counted once per republishing group,
        ``n_pairs`` aligned sentence pairs in its comparison (0 for a single-outlet story).
    story_framing : DataFrame
        Per story and outlet: ``n_pairs`` aligned pairs that involve the outlet and the mean of
        ``framing_score`` and each framing component over them (pairs marked ``same_claim``
        only, where the alignment has that column).
    threshold_ : float
        The story-detection cut used; ``threshold_rule`` says how it was chosen.
    timings : dict
        Seconds per stage (``read``, ``represent``, ``stories``, ``compare``, ``total``).
    embedded : int
        Sentences the encoder was asked for in this run (those not found in the cache).
    n_sentences : int
        Sentences represented.
    vectors : ndarray or None
        Article vectors (row ``k`` for ``articles.iloc[k]``) when ``keep_vectors=True``.
    """

    articles: pd.DataFrame
    stories: pd.DataFrame
    story_framing: pd.DataFrame
    threshold_: float
    threshold_rule: str
    window: float | None
    index: str
    model: str
    engine: str
    timings: dict = field(default_factory=dict)
    embedded: int = 0
    n_sentences: int = 0
    vectors: np.ndarray | None = None
    _texts: pd.DataFrame | None = None
    _compare: object = None
    _kept: dict = field(default_factory=dict)
    _recent: OrderedDict = field(default_factory=OrderedDict)

    # --- tables -------------------------------------------------------------------------------

    @property
    def sources(self) -> list[str]:
        """Every outlet in the corpus, sorted."""
        return sorted(self.articles["source"].unique().tolist())

    @property
    def coverage(self) -> pd.DataFrame:
        """Outlet by story: how many of each outlet's articles each story holds (0: not covered)."""
        placed = self.articles[self.articles["story_id"].notna()]
        table = pd.crosstab(placed["source"], placed["story_id"].astype(int))
        table = table.reindex(index=self.sources, columns=self.stories["story_id"].tolist(), fill_value=0)
        table.index.name, table.columns.name = "source", "story_id"
        return table.astype(int)

    def top_stories(self, n: int | None = None) -> pd.DataFrame:
        """The stories most outlets tell first (then most articles, then ``story_id``); ``n`` rows, or all.

        Returns
        -------
        DataFrame
            Rows of :attr:`stories`.
        """
        if n is not None:
            check_count("n", n, low=0)
        ranked = self.stories.sort_values(["n_outlets", "n_articles", "story_id"], ascending=[False, False, True],
                                          kind="stable")
        return ranked if n is None else ranked.head(n)

    def blindspots(self, k: int = 2, *, source: str | None = None) -> pd.DataFrame:
        """Stories an outlet leaves out while at least ``k`` independent outlets report them.

        Parameters
        ----------
        k : int, default 2
            Independent outlets (republishing groups counted once) that must report the story.
        source : str, optional
            Only this outlet's blindspots.

        Returns
        -------
        DataFrame
            :data:`BLINDSPOT_COLUMNS`, by outlet then story.
        """
        check_count("k", k)
        outlets = self.sources
        if source is not None and source not in outlets:
            raise InvalidParameterError(f"source must be one of the corpus's outlets {outlets}; got {source!r}.")
        rows = []
        wide = self.stories[self.stories["n_independent"] >= k]
        for story in wide.itertuples(index=False):
            for outlet in ([source] if source is not None else outlets):
                if outlet not in story.outlets:
                    rows.append({"source": outlet, "story_id": story.story_id, "n_outlets": story.n_outlets,
                                 "n_independent": story.n_independent, "headline": story.headline,
                                 "first_published": story.first_published})
        table = pd.DataFrame(rows, columns=BLINDSPOT_COLUMNS)
        return table.sort_values(["source", "story_id"], kind="stable").reset_index(drop=True)

    def framing_profile(self, *, n_boot: int = 1000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
        """Deprecated name of :meth:`framing_scores` (warns ``FutureWarning``).

        It is the mean framing score and components per outlet across stories, as
        :func:`narrativediff.framing.profile.framing_scores` is within one story (what
        ``Comparison.plot_framing_scores()`` draws); ``Comparison.framing_profile()`` is the table
        of framing devices, a different thing.
        """
        import warnings

        warnings.warn("Corpus.framing_profile() is deprecated and will be removed; use framing_scores() (the same "
                      "table). Comparison.framing_profile() is the table of framing devices.",
                      FutureWarning, stacklevel=2)
        return self.framing_scores(n_boot=n_boot, confidence=confidence, seed=seed)

    def framing_scores(self, *, n_boot: int = 1000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
        """Per outlet, the mean framing score and components across stories, with bootstrap intervals.

        Each story the outlet has aligned pairs in counts once: the profile is the mean over those
        stories of the story's per-outlet means (:attr:`story_framing`), and the interval is the
        percentile interval of that mean over ``n_boot`` resamples of the stories.

        Returns
        -------
        DataFrame
            ``source, n_stories, n_pairs`` and for each metric ``<metric>``, ``<metric>_low``,
            ``<metric>_high``.
        """
        check_count("n_boot", n_boot)
        if not 0 < confidence < 1:
            raise InvalidParameterError(f"confidence must be in (0, 1); got {confidence!r}.")
        metrics = [c for c in self.story_framing.columns if c not in STORY_FRAMING_COLUMNS]
        columns = ["source", "n_stories", "n_pairs"] + [f"{m}{s}" for m in metrics for s in ("", "_low", "_high")]
        rng = np.random.default_rng(seed)
        tail = (1 - confidence) / 2 * 100
        rows = []
        for outlet, group in self.story_framing.groupby("source", sort=True):
            row = {"source": outlet, "n_stories": len(group), "n_pairs": int(group["n_pairs"].sum())}
            draws = rng.integers(0, len(group), size=(n_boot, len(group)))
            for metric in metrics:
                values = group[metric].to_numpy(dtype=float)
                boot = np.nanmean(values[draws], axis=1) if np.isfinite(values).any() else np.full(n_boot, np.nan)
                row[metric] = float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
                row[f"{metric}_low"], row[f"{metric}_high"] = (np.nanpercentile(boot, [tail, 100 - tail])
                                                               if np.isfinite(boot).any() else (np.nan, np.nan))
            rows.append(row)
        return pd.DataFrame(rows, columns=columns)

    # --- one story ----------------------------------------------------------------------------

    def story_articles(self, story_id: int) -> pd.DataFrame:
        """The rows of :attr:`articles` in story ``story_id``."""
        self._check_story(story_id)
        return self.articles[self.articles["story_id"] == story_id]

    def _check_story(self, story_id) -> int:
        known = self.stories["story_id"]
        if isinstance(story_id, bool) or not isinstance(story_id, (int, np.integer)) or not (known == story_id).any():
            raise InvalidParameterError(
                f"story_id must be one of the corpus's stories (0 to {len(known) - 1}); got {story_id!r}.")
        return int(story_id)

    def comparison(self, story_id: int):
        """That story's :class:`~narrativediff.Comparison`, one article per outlet.

        Kept comparisons (``keep_comparisons=True``) are returned as they are; otherwise it is
        computed again here from the cached embeddings (the last few are kept).

        Raises
        ------
        InvalidInputError
            The story has articles from one outlet only: there is nothing to compare.
        """
        story_id = self._check_story(story_id)
        if story_id in self._kept:
            return self._kept[story_id]
        if story_id in self._recent:
            self._recent.move_to_end(story_id)
            return self._recent[story_id]
        chosen = self.articles[(self.articles["story_id"] == story_id) & self.articles["in_comparison"]]
        if len(chosen) < 2:
            raise InvalidInputError(f"story {story_id} has articles from one outlet only "
                                    f"({chosen['source'].tolist()}); a comparison needs two outlets.")
        comparison = self._compare(self._texts.loc[chosen.index])
        self._recent[story_id] = comparison
        while len(self._recent) > _KEPT_ON_DEMAND:
            self._recent.popitem(last=False)
        return comparison

    # --- display -------------------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """One row per outlet: articles, stories covered, and blindspots at k=2."""
        coverage = self.coverage
        blind = self.blindspots(2)["source"].value_counts()
        return pd.DataFrame({
            "articles": self.articles.groupby("source").size().reindex(self.sources),
            "stories": (coverage > 0).sum(axis=1),
            "blindspots": blind.reindex(self.sources, fill_value=0),
        }).rename_axis("source")

    # --- views -------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        """The notebook view: outlets, stories, blindspots, framing per outlet (see narrativediff.faces.corpus)."""
        from narrativediff.faces.corpus import corpus_html
        from narrativediff.faces.display import NOTEBOOK_LIMITS

        return corpus_html(self, limits=NOTEBOOK_LIMITS)

    def to_html(self, path=None, *, k: int = 2) -> str:
        """The same view, every row, as one self-contained HTML page; written to ``path`` when given."""
        from narrativediff.faces.corpus import to_html

        return to_html(self, path, k=k)

    # --- files -------------------------------------------------------------------------------

    def tables(self, *, k: int = 2, n_boot: int = 1000, seed: int = 0) -> dict:
        """Every corpus table by name, as the files hold them; see :func:`narrativediff.faces.corpus.tables`."""
        from narrativediff.faces.corpus import tables

        return tables(self, k=k, n_boot=n_boot, seed=seed)

    def to_csv(self, folder, *, k: int = 2, n_boot: int = 1000, seed: int = 0) -> dict:
        """Write every table of :meth:`tables` as ``<folder>/<name>.csv``; return ``{name: path}``.

        Examples
        --------
        >>> corpus = nd.compare_corpus("articles.parquet")  # doctest: +SKIP
        >>> corpus.to_csv("tables/")  # doctest: +SKIP
        """
        from narrativediff.faces.corpus import to_csv

        return to_csv(self, folder, k=k, n_boot=n_boot, seed=seed)

    def to_parquet(self, folder, *, k: int = 2, n_boot: int = 1000, seed: int = 0) -> dict:
        """Every table as ``<folder>/<name>.parquet`` and the run's metadata as ``metadata.json`` (needs pyarrow)."""
        from narrativediff.faces.corpus import to_parquet

        return to_parquet(self, folder, k=k, n_boot=n_boot, seed=seed)

    def to_json(self, path=None, *, indent: int | None = None, k: int = 2, n_boot: int = 1000,
                seed: int = 0) -> str:
        """Every table as JSON records with the run's metadata; written to ``path`` when given."""
        from narrativediff.faces.corpus import to_json

        return to_json(self, path, indent=indent, k=k, n_boot=n_boot, seed=seed)

    def __repr__(self) -> str:
        multi = int((self.stories["n_outlets"] >= 2).sum())
        return (f"<Corpus: {len(self.articles)} articles from {len(self.sources)} outlets in {len(self.stories)} "
                f"stories ({multi} told by two or more outlets); threshold {self.threshold_:.3f} "
                f"({self.threshold_rule}), engine {self.engine}>")
