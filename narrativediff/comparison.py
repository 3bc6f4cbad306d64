"""compare() and the Comparison it returns: the tables of one multi-outlet comparison."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from narrativediff.align import claims
from narrativediff.align.pairs import DEFAULT_THRESHOLD, METHODS, similarity_matrix
from narrativediff.align.stage import align_pairs, claim_tables, relation_index
from narrativediff.embed import EmbeddingCache, check_cache, embed_texts, get_encoder
from narrativediff.exceptions import InvalidParameterError, check_choice, check_count, check_range
from narrativediff.framing.score import FramingResult
from narrativediff.framing.table import ALIGNMENT_COLUMNS, empty_evidence, empty_word_diff, frame_english
from narrativediff.text.articles import Article, normalise_articles
from narrativediff.text.language import warn_unpaired_languages
from narrativediff.text.segment import Splitter
from narrativediff.text.tables import REMOVED_COLUMNS, SENTENCE_COLUMNS, sentence_tables

__all__ = ["Comparison", "compare", "SENTENCE_COLUMNS", "REMOVED_COLUMNS", "ALIGNMENT_COLUMNS"]

# The library logs (stage starts and times at INFO) and never prints; an application that wants the
# messages adds a handler, e.g. logging.basicConfig(level=logging.INFO).
logging.getLogger("narrativediff").addHandler(logging.NullHandler())
_log = logging.getLogger(__name__)

@dataclass(repr=False, eq=False)
class Comparison:
    """The result of comparing several outlets' articles about one event.

    Every table is a pandas DataFrame with stable column names (see ``docs/architecture.md``).

    Attributes
    ----------
    articles : list of Article
        The articles compared, as given.
    sentences : DataFrame
        One row per sentence of every article (``source, sent_id, text, paragraph, position,
        is_title, is_quote, quote_share, speaker, line_no, char_start, char_end, published,
        language``): ``published`` is the article's date (UTC timestamp, NaT when unknown),
        ``language`` its ISO 639-1 code.
    removed : DataFrame
        One row per line removed by cleaning (``source, line_no, text, reason, explanation``).
    alignment : DataFrame
        One row per aligned pair of sentences from two outlets (``source_a, sent_a, text_a,
        source_b, sent_b, text_b, similarity, framing_score, changed_a, changed_b`` and the framing
        components and explanation, then ``days_apart``: absolute days between the two articles'
        dates, NaN when either is unknown; ``tense_only``: the two sentences differ only in verb
        tense, as articles written days apart do, which is not a framing difference;
        ``framing_note``: None, or why the framing columns are NaN (a sentence not in English:
        the framing signals are English-only).
    claims : DataFrame
        One row per sentence with the claim it belongs to (``claim_id, source, sent_id, text,
        n_sources, claim_size, cohesion``): sentences of any outlets that report the same thing.
    near_duplicates : DataFrame
        One row per pair of outlets with the share of near-identical sentences and a
        ``republished`` flag (wire copy).
    groups : Series
        Outlet to republishing group: outlets that republish one text count once in coverage.
    embeddings : ndarray
        Row ``k`` embeds ``sentences.iloc[k]``.
    model : str
        The name of the embedding model.
    threshold, method
        The alignment options used.
    timings : dict
        Seconds spent per stage (``clean_segment``, ``embed``, ``align``, ``claims``, ``framing``).
    evidence : DataFrame
        One row per framing evidence span of every aligned pair (``pair, component, side, start,
        end, text, why``): ``pair`` is the :attr:`alignment` row's index label, ``side`` ``'a'`` or
        ``'b'``, ``start``/``end`` character offsets into that side's sentence, ``text`` the span
        and ``why`` the reason. Rows of one pair keep the order of its ``FramingResult.evidence``.
    word_diff : DataFrame
        One row per opcode of every aligned pair's word diff, in order (``pair, tag, i1, i2, j1, j2,
        start_a, end_a, start_b, end_b``): ``tag`` is ``equal``, ``replace``, ``delete`` (words only in
        a) or ``insert`` (words only in b), ``i1..j2`` count word tokens, ``start_a, end_a`` and
        ``start_b, end_b`` are character offsets into ``text_a`` and ``text_b`` (equal on a side that
        has no words). With :attr:`evidence` and :attr:`alignment` it is each pair's framing result
        whole: :meth:`framing` rebuilds it, and the faces draw from these tables without scoring again.
    """

    articles: list[Article]
    sentences: pd.DataFrame
    removed: pd.DataFrame
    alignment: pd.DataFrame
    embeddings: np.ndarray
    claims: pd.DataFrame
    near_duplicates: pd.DataFrame
    groups: pd.Series
    model: str
    threshold: float
    method: str
    timings: dict = field(default_factory=dict)
    evidence: pd.DataFrame = field(default_factory=empty_evidence)
    word_diff: pd.DataFrame = field(default_factory=empty_word_diff)

    @property
    def sources(self) -> list[str]:
        """The outlets, in the order given."""
        return [article.source for article in self.articles]

    @property
    def unaligned(self) -> pd.DataFrame:
        """Sentences with no counterpart in any other outlet (the sentence table's columns)."""
        aligned = pd.concat([
            self.alignment[["source_a", "sent_a"]].set_axis(["source", "sent_id"], axis=1),
            self.alignment[["source_b", "sent_b"]].set_axis(["source", "sent_id"], axis=1),
        ])
        keys = pd.MultiIndex.from_frame(self.sentences[["source", "sent_id"]])
        matched = keys.isin(pd.MultiIndex.from_frame(aligned)) if len(aligned) else np.zeros(len(keys), bool)
        return self.sentences[~matched].reset_index(drop=True)

    def _check_source(self, source: str) -> str:
        """The outlet named ``source``: exactly, or else ignoring case where only one outlet matches."""
        sources = self.sources
        if source in sources:
            return source
        if isinstance(source, str):
            matches = [s for s in sources if isinstance(s, str) and s.casefold() == source.casefold()]
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise InvalidParameterError(
                    f"source {source!r} matches {matches} when case is ignored; pass one of them exactly."
                )
        raise InvalidParameterError(f"source must be one of {sources} (case is ignored); got {source!r}.")

    def similarity(self, source_a: str, source_b: str) -> pd.DataFrame:
        """Cosine similarity of every sentence of ``source_a`` (rows) with every one of ``source_b``.

        Outlet names match ignoring case where that is unambiguous (``"RT"`` finds ``rt``), here and
        in :meth:`pairs`, :meth:`omissions`, :meth:`unique_claims` and :meth:`plot_similarity`.
        """
        rows = self.sentences["source"] == self._check_source(source_a)
        cols = self.sentences["source"] == self._check_source(source_b)
        matrix = similarity_matrix(self.embeddings[rows.to_numpy()], self.embeddings[cols.to_numpy()])
        return pd.DataFrame(matrix, index=self.sentences.loc[rows, "sent_id"].to_numpy(),
                            columns=self.sentences.loc[cols, "sent_id"].to_numpy())

    def pairs(self, source_a: str, source_b: str) -> pd.DataFrame:
        """The aligned pairs between two outlets, with ``source_a`` on the left, whatever the order given."""
        return self._oriented_pairs(source_a, source_b)[0].reset_index(drop=True)

    def _oriented_pairs(self, source_a: str, source_b: str) -> tuple[pd.DataFrame, np.ndarray]:
        """:meth:`pairs` with the alignment's index labels kept, and which rows had their sides swapped."""
        a, b = self._check_source(source_a), self._check_source(source_b)
        forward = self.alignment[(self.alignment["source_a"] == a) & (self.alignment["source_b"] == b)]
        backward = self.alignment[(self.alignment["source_a"] == b) & (self.alignment["source_b"] == a)]
        swapped = backward.rename(columns=_swap_sides(backward.columns))
        table = pd.concat([forward, swapped[forward.columns]])
        return table, np.r_[np.zeros(len(forward), bool), np.ones(len(backward), bool)]

    def framing(self, pair) -> FramingResult:
        """The framing result of one aligned pair, rebuilt from the tables (nothing is scored again).

        Parameters
        ----------
        pair : int
            The :attr:`alignment` row's index label (its position, for a comparison from
            :func:`compare`).

        Returns
        -------
        FramingResult
            What :func:`~narrativediff.score_pair` gave for the pair: score, components, word diff
            (from :attr:`word_diff`), evidence (from :attr:`evidence`) and explanation.

        Raises
        ------
        InvalidParameterError
            If ``pair`` is not a row of :attr:`alignment`.

        Examples
        --------
        >>> import narrativediff as nd
        >>> c = nd.compare(nd.load_articles(nd.example_path()))
        >>> result = c.framing(0)
        >>> result.explanation == c.alignment.loc[0, "explanation"]
        True
        >>> len(result.evidence) == len(c.evidence[c.evidence["pair"] == 0])
        True
        """
        if pair not in self.alignment.index:
            raise InvalidParameterError(
                f"pair must be an index label of alignment ({len(self.alignment)} rows); got {pair!r}."
            )
        diff = self.word_diff[self.word_diff["pair"] == pair]
        evidence = self.evidence[self.evidence["pair"] == pair]
        return FramingResult.from_rows(self.alignment.loc[pair], diff.to_dict("records"),
                                       evidence.to_dict("records"))

    def differences(self, top: int | None = None, *, same_claim_only: bool = True,
                    per_sentence: int | None = None) -> pd.DataFrame:
        """The aligned pairs most differently framed, highest ``framing_score`` first.

        Parameters
        ----------
        top : int, optional
            How many rows; ``None`` for all.
        same_claim_only : bool, default True
            Keep only pairs whose ``relation`` is ``same_claim`` (headline pairs included: they go
            through the same relation model): framing differences between sentences that say
            different things, or contradict each other, are differences of content, not of framing.
        per_sentence : int, optional
            Each sentence in at most this many of the rows, taken in rank order: with 1, the top
            rows are as many different sentences of each side (one loaded sentence aligned to
            six others otherwise fills six of the top ten). ``None`` keeps every pair.

        Returns
        -------
        DataFrame
            Rows of :attr:`alignment`; pairs with no framing score (another language) come last.

        Examples
        --------
        >>> import narrativediff as nd
        >>> comparison = nd.compare(nd.load_example())  # doctest: +SKIP
        >>> comparison.differences(10, per_sentence=1)  # doctest: +SKIP
        """
        return differences(self.alignment, top, same_claim_only=same_claim_only, per_sentence=per_sentence)

    def framing_profile(self, *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
        """Each outlet's framing devices in its own words against its partners, over same-claim pairs.

        Delegates to :func:`narrativediff.framing.profile.framing_profile` with this comparison's
        alignment, sentence and evidence tables (see there for the columns).
        """
        from narrativediff.framing.profile import framing_profile

        return framing_profile(self.alignment, self.sentences, self.evidence, n_boot=n_boot, seed=seed)

    @property
    def coverage(self) -> pd.DataFrame:
        """Claims by outlets: one row per claim, one bool column per outlet, then ``n_outlets``,
        ``n_independent`` (republishing outlets counted once) and ``text``."""
        return claims.coverage(self.claims, groups=self.groups)

    def omissions(self, source: str, *, min_outlets: int = 2) -> pd.DataFrame:
        """Claims that at least ``min_outlets`` other (independent) outlets report and ``source`` leaves out.

        Returns ``claim_id, n_outlets, sources, text``.
        """
        return claims.omissions(self.claims, self._check_source(source), min_outlets=min_outlets,
                                groups=self.groups)

    def unique_claims(self, source: str) -> pd.DataFrame:
        """Claims only ``source`` reports (``claim_id, sent_id, text``)."""
        return claims.unique_claims(self.claims, self._check_source(source), groups=self.groups)

    def summary(self) -> pd.DataFrame:
        """Per outlet: sentences kept, lines removed, sentences aligned to at least one other outlet."""
        kept = self.sentences.groupby("source", sort=False).size()
        removed = self.removed.groupby("source", sort=False).size()
        unaligned = self.unaligned.groupby("source", sort=False).size()
        table = pd.DataFrame({"sentences": kept}).reindex(self.sources).fillna(0)
        table["removed_lines"] = removed.reindex(self.sources).fillna(0).astype(int)
        table["unaligned"] = unaligned.reindex(self.sources).fillna(0).astype(int)
        table["aligned"] = table["sentences"] - table["unaligned"]
        table.index.name = "source"
        return table.astype(int)

    def __repr__(self) -> str:
        lines = [
            f"<Comparison of {len(self.sources)} outlets: {', '.join(self.sources)}>",
            f"  model={self.model!r}, method={self.method!r}, threshold={self.threshold:.2f}",
            f"  {len(self.sentences)} sentences, {len(self.removed)} lines removed by cleaning, "
            f"{len(self.alignment)} aligned pairs, {len(self.unaligned)} sentences unaligned",
        ]
        top = self.differences(3, per_sentence=1)
        if len(top):
            lines.append("  most differently framed pairs reporting the same claim:")
            for row in top.itertuples():
                lines.append(
                    f"    {row.framing_score:.2f}  {row.source_a}[{row.sent_a}] ~ {row.source_b}[{row.sent_b}]"
                    f"  {_shorten(getattr(row, 'explanation', '') or '', 90)}"
                )
        return "\n".join(lines)

    # faces: thin delegations to display / plot / report
    def _repr_html_(self) -> str:
        """The notebook view: outlets side by side, changed words highlighted (see narrativediff.faces.display)."""
        from narrativediff.faces.display import NOTEBOOK_LIMITS, REPR_MAX_PAIRS, comparison_html

        return comparison_html(self, max_pairs=REPR_MAX_PAIRS, limits=NOTEBOOK_LIMITS)

    def to_html(self, path=None, *, plots: bool = True) -> str:
        """Write (when ``path`` is given) and return a self-contained HTML report; see :func:`narrativediff.faces.report.to_html`."""
        from narrativediff.faces.report import to_html

        return to_html(self, path, plots=plots)

    def to_csv(self, folder) -> dict:
        """Write every table as ``<folder>/<name>.csv``; see :func:`narrativediff.faces.report.to_csv`."""
        from narrativediff.faces.report import to_csv

        return to_csv(self, folder)

    def to_excel(self, path):
        """Write every table as a sheet of one ``.xlsx`` file; see :func:`narrativediff.faces.report.to_excel`."""
        from narrativediff.faces.report import to_excel

        return to_excel(self, path)

    def to_json(self, path=None, *, indent: int | None = None) -> str:
        """Every table as JSON records with the comparison's metadata; see :func:`narrativediff.faces.store.to_json`."""
        from narrativediff.faces.store import to_json

        return to_json(self, path, indent=indent)

    def to_parquet(self, folder) -> dict:
        """Every table as ``<folder>/<name>.parquet`` (needs pyarrow); see :func:`narrativediff.faces.store.to_parquet`."""
        from narrativediff.faces.store import to_parquet

        return to_parquet(self, folder)

    def save(self, path):
        """Write this Comparison to one archive file that :meth:`load` reads back exactly.

        The file is a zip archive (``.ndz`` is a good name) with a versioned ``manifest.json``,
        each table as JSON with its dtypes, and the embeddings as ``.npy``; nothing is pickled. See
        :mod:`narrativediff.faces.store`.

        Examples
        --------
        >>> import narrativediff as nd
        >>> c = nd.compare(nd.load_articles(nd.example_path()))  # doctest: +SKIP
        >>> c.save("port.ndz")  # doctest: +SKIP
        >>> nd.Comparison.load("port.ndz").alignment.equals(c.alignment)  # doctest: +SKIP
        True
        """
        from narrativediff.faces.store import save

        return save(self, path)

    @classmethod
    def load(cls, path) -> "Comparison":
        """Read a Comparison written by :meth:`save` (tables, embeddings, articles and options)."""
        from narrativediff.faces.store import load

        return load(path)

    def plot_similarity(self, source_a: str, source_b: str, ax=None):
        """Similarity heatmap of two outlets' sentences; see :func:`narrativediff.faces.plot.plot_similarity`."""
        from narrativediff.faces.plot import plot_similarity

        return plot_similarity(self, self._check_source(source_a), self._check_source(source_b), ax=ax)

    def plot_framing_scores(self, ax=None):
        """Mean framing score per outlet with bootstrap 95% intervals; see :func:`narrativediff.faces.plot.plot_framing_scores`."""
        from narrativediff.faces.plot import plot_framing_scores

        return plot_framing_scores(self, ax=ax)

    def plot_framing_profile(self, ax=None):
        """Deprecated name of :meth:`plot_framing_scores` (warns ``FutureWarning``).

        It drew the mean framing score per outlet, not :meth:`framing_profile` (the framing devices).
        """
        import warnings

        warnings.warn("Comparison.plot_framing_profile() is deprecated and will be removed; use "
                      "plot_framing_scores() (the same plot). framing_profile() is the table of framing devices.",
                      FutureWarning, stacklevel=2)
        return self.plot_framing_scores(ax=ax)

    def plot_coverage(self, ax=None, *, by: str = "auto", min_outlets: int = 2, max_rows: int | None = 60):
        """Which outlet reports what (claims that ``min_outlets`` or more report, labelled in full); see
        :func:`narrativediff.faces.plot.plot_coverage`."""
        from narrativediff.faces.plot import plot_coverage

        return plot_coverage(self, ax=ax, by=by, min_outlets=min_outlets, max_rows=max_rows)

    def plot_framing(self, ax=None):
        """Framing components by outlet pair; see :func:`narrativediff.faces.plot.plot_framing`."""
        from narrativediff.faces.plot import plot_framing

        return plot_framing(self, ax=ax)

    def plot_timeline(self, ax=None):
        """When each outlet published, with its aligned pairs; see :func:`narrativediff.faces.plot.plot_timeline`."""
        from narrativediff.faces.plot import plot_timeline

        return plot_timeline(self, ax=ax)


def same_claim_mask(alignment: pd.DataFrame) -> pd.Series:
    """Which aligned pairs report the same claim: ``relation == "same_claim"`` where the table has a
    ``relation`` column, else the calibrated ``same_claim`` decision (all False without either)."""
    if "relation" in alignment.columns:
        return alignment["relation"].eq("same_claim")
    if "same_claim" in alignment.columns:
        return alignment["same_claim"].fillna(False).astype(bool)
    return pd.Series(False, index=alignment.index)


def differences(alignment: pd.DataFrame, top: int | None = None, *, same_claim_only: bool = True,
                per_sentence: int | None = None) -> pd.DataFrame:
    """The rows of ``alignment`` most differently framed: :meth:`Comparison.differences` on a table."""
    if top is not None:
        check_count("top", top, low=0)
    if per_sentence is not None:
        check_count("per_sentence", per_sentence)
    pairs = alignment[same_claim_mask(alignment)] if same_claim_only else alignment
    ranked = pairs.sort_values("framing_score", ascending=False, kind="stable", na_position="last")
    if per_sentence is not None:
        used: dict = {}  # (source, sent_id) -> rows kept so far that hold it
        kept = []
        sides = zip(ranked["source_a"], ranked["sent_a"], ranked["source_b"], ranked["sent_b"])
        for position, (source_a, sent_a, source_b, sent_b) in enumerate(sides):
            if top is not None and len(kept) == top:
                break
            a, b = (source_a, int(sent_a)), (source_b, int(sent_b))
            if used.get(a, 0) < per_sentence and used.get(b, 0) < per_sentence:
                kept.append(position)
                used[a], used[b] = used.get(a, 0) + 1, used.get(b, 0) + 1
        ranked = ranked.iloc[kept]
    return ranked if top is None else ranked.head(top)


def _swap_sides(columns) -> dict:
    mapping = {}
    for column in columns:
        if column.endswith("_a"):
            mapping[column] = column[:-2] + "_b"
        elif column.endswith("_b"):
            mapping[column] = column[:-2] + "_a"
    return mapping


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def compare(articles, *, model=None, threshold: float | None = None, method: str = "threshold",
            match_headlines: bool = True, claim_floor: float | None = None,
            cache: EmbeddingCache | None = None,
            splitter: Splitter | None = None, show_progress_bar: bool = False) -> Comparison:
    """Compare several outlets' articles about one event.

    Parameters
    ----------
    articles : mapping, list of Article, or DataFrame
        ``{outlet: text}``, a list of :class:`~narrativediff.Article`, or a DataFrame with
        ``source`` and ``text`` columns; at least two outlets.
    model : None, str, path-like, SentenceTransformer or Encoder, optional
        The sentence embedding model. ``None`` uses the bundled all-MiniLM-L6-v2 offline.
    threshold : float, optional
        Cosine similarity above which two sentences are aligned; ``None`` uses
        :data:`narrativediff.align.pairs.DEFAULT_THRESHOLD`.
    method : {"threshold", "mutual", "hungarian"}, default "threshold"
        How pairs are picked from each similarity matrix (see :func:`narrativediff.align.pairs.match_pairs`).
    match_headlines : bool, default True
        Also pair every headline with the closest headline or lead of each other outlet above
        :data:`narrativediff.align.headlines.HEADLINE_FLOOR` (``match == "headline"`` in the alignment):
        headlines report the same story in words too different for the body threshold.
    claim_floor : float, optional
        Every two sentences grouped into one claim have P(same claim) at least this; ``None`` uses
        the calibrated same-claim decision threshold (see :func:`narrativediff.align.claims.group_claims`).
    cache : EmbeddingCache, optional
        Where embeddings are kept; defaults to the process-wide in-memory cache, so comparing the
        same articles again embeds nothing. It also keeps the last few comparisons' results:
        comparing the same articles (source, text, title) with the same options and model again
        returns a copy of the kept tables, with ``timings`` 0 for every stage and the lookup's
        seconds under ``"reused"``. Pass ``EmbeddingCache(max_results=0)`` to always recompute.
    splitter : callable, optional
        ``paragraph -> sentences``; defaults to Punkt.
    show_progress_bar : bool, default False
        Show a progress bar while embedding.

    Returns
    -------
    Comparison

    Raises
    ------
    InvalidInputError
        Fewer than two articles, duplicate outlet names, empty or non-string text.
    InvalidParameterError
        An option outside its allowed values.
    ModelNotFoundError
        The model cannot be loaded.

    Examples
    --------
    >>> import narrativediff as nd
    >>> comparison = nd.compare(nd.load_articles(nd.example_path()))
    >>> comparison.alignment.columns[:4].tolist()
    ['source_a', 'sent_a', 'text_a', 'source_b']
    """
    threshold = check_range("threshold", DEFAULT_THRESHOLD if threshold is None else threshold, -1.0, 1.0)
    check_choice("method", method, METHODS)
    if claim_floor is not None:
        claim_floor = check_range("claim_floor", claim_floor, 0.0, 1.0)
    cache = check_cache(cache)
    if splitter is not None and not callable(splitter):
        raise InvalidParameterError(
            f"splitter must be None (Punkt) or a callable paragraph -> sentences; got {type(splitter).__name__}."
        )
    started = time.perf_counter()
    checked = normalise_articles(articles)
    encoder = get_encoder(model, progress=show_progress_bar)

    timings = {}
    with _timed(timings, "clean_segment"):
        sentences, removed = sentence_tables(checked, splitter)
    key = _result_key(sentences, removed, encoder.name, threshold=threshold, method=method,
                      match_headlines=match_headlines, claim_floor=claim_floor)
    kept = cache.get_result(key)
    if kept is not None:
        return _reused(kept, checked, time.perf_counter() - started)
    with _timed(timings, "embed"):
        # One forward pass per sentence gives its vector and its words' in-context vectors (cached
        # for the framing stage's loadedness); the relation model then embeds content views and words.
        embeddings = embed_texts(sentences["text"].tolist(), encoder, cache=cache,
                                 show_progress_bar=show_progress_bar, words=True)
        index = relation_index(sentences, encoder, cache=cache)
    with _timed(timings, "align"):
        pairs = align_pairs(sentences, embeddings, method=method, threshold=threshold,
                            match_headlines=match_headlines, index=index)
    with _timed(timings, "claims"):
        claim_table, duplicates, groups = claim_tables(sentences, embeddings, floor=claim_floor, index=index)
    warn_unpaired_languages(sentences, pairs, encoder.name, stacklevel=3)
    with _timed(timings, "framing"):
        alignment, evidence, word_diff = frame_english(pairs, sentences, cache=cache)

    comparison = Comparison(
        articles=checked, sentences=sentences, removed=removed, alignment=alignment,
        claims=claim_table, near_duplicates=duplicates, groups=groups, embeddings=embeddings,
        model=encoder.name, threshold=threshold, method=method, timings=timings,
        evidence=evidence, word_diff=word_diff,
    )
    cache.put_result(key, _copied(comparison))
    return comparison


@contextlib.contextmanager
def _timed(timings: dict, stage: str):
    """Add the seconds the block takes to ``timings[stage]``, and log the stage's start and time."""
    _log.info("%s: started", stage)
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        timings[stage] = timings.get(stage, 0.0) + seconds
        _log.info("%s: done in %.2f s", stage, seconds)


def _result_key(sentences: pd.DataFrame, removed: pd.DataFrame, model: str, **options) -> str:
    """A digest of everything a comparison's later stages depend on.

    It is taken over the sentence and removed-line tables, not the articles and the splitter that
    made them, so that no identity of a Python object (which can be reused) enters the key: a
    different splitter that gives the same sentences gives the same result.
    """
    digest = hashlib.sha256()
    for value in [model, *(f"{name}={value!r}" for name, value in sorted(options.items()))]:
        digest.update(str(value).encode() + b"\x00")
    for table in (sentences, removed):
        digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
        digest.update(repr(list(table.columns)).encode() + b"\x00")
    return digest.hexdigest()


def _copied(comparison: Comparison) -> Comparison:
    """A copy whose tables and arrays are its own: a kept result is never changed by its user."""
    tables = {name: getattr(comparison, name).copy() for name in
              ("sentences", "removed", "alignment", "claims", "near_duplicates", "groups", "embeddings",
               "evidence", "word_diff")}
    return dataclasses.replace(comparison, timings=dict(comparison.timings), **tables)


def _reused(kept: Comparison, articles: list[Article], seconds: float) -> Comparison:
    """A kept comparison for the articles given now; every stage took no time, the lookup ``seconds``."""
    _log.info("reused the kept result of the same articles and options (%.4f s)", seconds)
    reused = _copied(kept)
    reused.articles = articles
    reused.timings = {stage: 0.0 for stage in kept.timings} | {"reused": seconds}
    return reused
