"""Per-outlet framing tables, with intervals: the framing profile (devices) and the framing scores.

- :func:`framing_profile`: each outlet's framing devices (hedges, loaded words, marked reporting
  verbs, actor labels, intensity) per 100 own words against its partners', and which outlet of
  each pair is the more negative (``Comparison.framing_profile()``).
- :func:`framing_scores`: one number per outlet, the mean ``framing_score`` over the aligned pairs
  it takes part in, with a percentile bootstrap interval, so that a plot
  (:func:`narrativediff.faces.plot.plot_framing_scores`) can show which differences between
  outlets are larger than the noise of a few pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from narrativediff.exceptions import check_range

__all__ = ["SCORE_COLUMNS", "PROFILE_COLUMNS", "framing_scores", "framing_profile", "outlet_devices", "DEVICES", "DEVICE_COLUMNS", "same_claim_rows"]

#: Columns of :func:`framing_scores`'s table (index ``source``).
SCORE_COLUMNS = ["n_pairs", "mean", "low", "high"]
#: The old name of :data:`SCORE_COLUMNS`.
PROFILE_COLUMNS = SCORE_COLUMNS


def framing_profile(alignment: pd.DataFrame, sentences, evidence: pd.DataFrame | None = None, *,
                    pairs: pd.Series | None = None, n_boot: int = 2000, level: float = 0.95,
                    seed: int = 0) -> pd.DataFrame:
    """Each outlet's framing devices against the other outlets' (what ``Comparison.framing_profile()`` returns).

    Per outlet, over its same-claim pairs (``relation == "same_claim"`` where the alignment has
    ``relation``, else ``same_claim``): the rate per 100 of its own words (words inside quotes left
    out) of each device in :data:`DEVICES` that its partner sentence does not share (``value``),
    the partners' rate (``value_versus``), the difference with a bootstrap interval over pairs
    (``low``, ``high``), and the ``evidence`` rows behind it (index labels of the evidence table);
    and per pair of outlets (``measure == "more_negative"``), the share of their pairs in which
    ``outlet`` is the more negative in the words that differ (``negativity_lean``), with the exact
    binomial (sign test) interval and ``p_value`` (:func:`scipy.stats.binomtest`). See
    :func:`outlet_devices` for the table.

    The mean framing score per outlet is :func:`framing_scores`. Called the old way, with a list
    of outlets in place of the sentence table, this returns :func:`framing_scores`'s table and
    warns (``FutureWarning``): that use is deprecated.

    Parameters
    ----------
    alignment : DataFrame
        ``Comparison.alignment``.
    sentences : DataFrame
        ``Comparison.sentences`` (own-word counts and quoting).
    evidence : DataFrame
        ``Comparison.evidence``: the spans behind each device.
    pairs : boolean Series, optional
        Only for the deprecated call (see :func:`framing_scores`).
    n_boot : int, default 2000
        Bootstrap resamples of the pairs.
    level : float, default 0.95
        Coverage of the intervals.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    DataFrame
        :data:`DEVICE_COLUMNS` (see :func:`outlet_devices`).

    Raises
    ------
    InvalidParameterError
        If ``evidence`` is missing.
    """
    if not isinstance(sentences, pd.DataFrame):
        import warnings

        warnings.warn(
            "framing_profile(alignment, sources, pairs=...) is deprecated: it returns the mean framing score "
            "per outlet, which is now framing_scores(alignment, sources, pairs=...); framing_profile(alignment, "
            "sentences, evidence) profiles the framing devices.", FutureWarning, stacklevel=2)
        return framing_scores(alignment, sentences, pairs=pairs, n_boot=n_boot, level=level, seed=seed)
    if evidence is None:
        from narrativediff.exceptions import InvalidParameterError

        raise InvalidParameterError("framing_profile(alignment, sentences, evidence) needs the evidence table.")
    return outlet_devices(alignment, sentences, evidence, n_boot=n_boot, level=level, seed=seed)


def framing_scores(alignment: pd.DataFrame, sources, *, pairs: pd.Series | None = None, n_boot: int = 2000,
                   level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean framing score per outlet over its aligned pairs (either side), with a bootstrap interval.

    What :func:`narrativediff.faces.plot.plot_framing_scores` draws.

    Parameters
    ----------
    alignment : DataFrame
        ``Comparison.alignment`` (``source_a``, ``source_b``, ``framing_score``).
    sources : list of str
        The outlets, in the order the rows should have.
    pairs : boolean Series, optional
        Which rows of ``alignment`` to use (e.g. only pairs that report the same claim); all by default.
        Rows with a missing ``framing_score`` (a pair not scored) are always left out.
    n_boot : int, default 2000
        Bootstrap resamples of each outlet's pairs.
    level : float, default 0.95
        Coverage of the percentile interval.
    seed : int, default 0
        Seed of the resampling, so the intervals are the same on every call.

    Returns
    -------
    DataFrame
        Index ``source`` (every outlet given), columns :data:`SCORE_COLUMNS` (``n_pairs``, ``mean``,
        ``low``, ``high``); NaN for an outlet with no pair, ``low == high == mean`` for one with a
        single pair.

    Raises
    ------
    InvalidParameterError
        If ``level`` is not in [0, 1] or ``n_boot`` is below 1.

    Examples
    --------
    >>> import pandas as pd
    >>> alignment = pd.DataFrame({"source_a": ["a", "a", "b"], "source_b": ["b", "c", "c"],
    ...                           "framing_score": [0.2, 0.4, 0.6]})
    >>> framing_scores(alignment, ["a", "b", "c"])["mean"].round(2).tolist()
    [0.3, 0.4, 0.5]
    """
    check_range("level", level, 0.0, 1.0)
    if n_boot < 1:
        from narrativediff.exceptions import InvalidParameterError

        raise InvalidParameterError(f"n_boot must be a whole number >= 1; got {n_boot!r}.")
    table = alignment if pairs is None else alignment[pairs.reindex(alignment.index, fill_value=False).astype(bool)]
    table = table[table["framing_score"].notna()]
    rng = np.random.default_rng(seed)
    tail = (1.0 - level) / 2.0
    rows = []
    for source in sources:
        scores = table.loc[(table["source_a"] == source) | (table["source_b"] == source), "framing_score"]
        scores = scores.to_numpy(dtype=float)
        n = len(scores)
        if n == 0:
            rows.append((0, np.nan, np.nan, np.nan))
            continue
        # resampled in blocks, so that an outlet with many pairs never needs an n_boot x n array at once
        block = max(1, 1_000_000 // n)
        means = np.concatenate([scores[rng.integers(0, n, size=(min(block, n_boot - done), n))].mean(axis=1)
                                for done in range(0, n_boot, block)])
        low, high = np.quantile(means, [tail, 1.0 - tail])
        rows.append((n, float(scores.mean()), float(low), float(high)))
    profile = pd.DataFrame(rows, columns=SCORE_COLUMNS, index=pd.Index(list(sources), name="source"))
    return profile.astype({"n_pairs": int})


# --- devices: what each outlet does in its own words, against the outlets it is paired with ---------

#: The devices :func:`outlet_devices` counts, by the evidence rows behind them (component, and
#: for attribution the kind of cue); rates are per 100 of the outlet's own words in its pairs.
DEVICES = {
    "attribution_hedging": lambda ev: (ev["component"] == "attribution")
    & ~ev["why"].str.startswith("states as fact"),
    "loaded_words": lambda ev: ev["component"] == "word_choice",
    "marked_reporting_verbs": lambda ev: ev["why"].str.contains("reporting verb", regex=False)
    & ~ev["why"].str.contains("neutral", regex=False),
    "actor_labels": lambda ev: ev["component"] == "actors",
    "intensity": lambda ev: ev["component"] == "intensity",
}
#: Columns of :func:`outlet_devices`.
DEVICE_COLUMNS = ["outlet", "versus", "measure", "value", "value_versus", "difference", "low", "high",
                  "n_pairs", "p_value", "evidence"]


def same_claim_rows(alignment: pd.DataFrame) -> pd.Series:
    """Which alignment rows report the same claim: ``relation == "same_claim"`` when the
    alignment has a ``relation`` column, else the ``same_claim`` column, else every row."""
    if "relation" in alignment.columns:
        return alignment["relation"].eq("same_claim")
    if "same_claim" in alignment.columns:
        return alignment["same_claim"].fillna(False).astype(bool)
    return pd.Series(True, index=alignment.index)


def _own_word_counts(alignment: pd.DataFrame, side: str) -> np.ndarray:
    from narrativediff.framing.records import QuoteInfo, quoted_mask_of

    counts = []
    for i, text in enumerate(alignment[f"text_{side}"]):
        quote = None
        if f"is_quote_{side}" in alignment.columns:
            share = alignment[f"quote_share_{side}"].iloc[i] if f"quote_share_{side}" in alignment.columns else 0.0
            quote = QuoteInfo(bool(alignment[f"is_quote_{side}"].iloc[i]), float(share) if pd.notna(share) else 0.0, None)
        mask = quoted_mask_of(str(text), quote)
        counts.append(len(mask) - sum(mask))
    return np.asarray(counts, dtype=float)


def outlet_devices(alignment: pd.DataFrame, sentences: pd.DataFrame | None, evidence: pd.DataFrame, *,
                   n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Per outlet, how often each framing device appears in its own words against its partners.

    See :func:`framing_profile` (called with the sentence and evidence tables).
    """
    from scipy.stats import binomtest

    check_range("level", level, 0.0, 1.0)
    table = alignment[same_claim_rows(alignment).reindex(alignment.index, fill_value=False).astype(bool)]
    if "framing_score" in table.columns:
        table = table[table["framing_score"].notna()]
    ev = evidence[evidence["pair"].isin(table.index)]
    words = {side: pd.Series(_own_word_counts(table, side), index=table.index) for side in "ab"}
    rng = np.random.default_rng(seed)
    tail = (1.0 - level) / 2.0
    outlets = sorted(set(table["source_a"]) | set(table["source_b"]))
    if sentences is not None and "source" in sentences.columns:
        outlets = [s for s in dict.fromkeys(sentences["source"]) if s in set(outlets)]
    rows = []
    for device, select in DEVICES.items():
        chosen = ev[select(ev)] if len(ev) else ev
        count = {side: chosen[chosen["side"] == side].groupby("pair").size().reindex(table.index, fill_value=0)
                 for side in "ab"}
        for outlet in outlets:
            as_a, as_b = table["source_a"] == outlet, table["source_b"] == outlet
            mine_n = np.r_[count["a"][as_a].to_numpy(), count["b"][as_b].to_numpy()].astype(float)
            mine_w = np.r_[words["a"][as_a].to_numpy(), words["b"][as_b].to_numpy()]
            other_n = np.r_[count["b"][as_a].to_numpy(), count["a"][as_b].to_numpy()].astype(float)
            other_w = np.r_[words["b"][as_a].to_numpy(), words["a"][as_b].to_numpy()]
            n = len(mine_n)
            rows_ev = chosen[(chosen["pair"].isin(table.index[as_a]) & (chosen["side"] == "a"))
                             | (chosen["pair"].isin(table.index[as_b]) & (chosen["side"] == "b"))].index.tolist()
            if n == 0 or mine_w.sum() == 0 or other_w.sum() == 0:
                rows.append((outlet, "others", device, np.nan, np.nan, np.nan, np.nan, np.nan, n, np.nan, rows_ev))
                continue
            rate = 100 * mine_n.sum() / mine_w.sum()
            rate_o = 100 * other_n.sum() / other_w.sum()
            draws = rng.integers(0, n, size=(n_boot, n))
            diffs = (100 * mine_n[draws].sum(1) / np.maximum(mine_w[draws].sum(1), 1)
                     - 100 * other_n[draws].sum(1) / np.maximum(other_w[draws].sum(1), 1))
            low, high = np.quantile(diffs, [tail, 1.0 - tail])
            rows.append((outlet, "others", device, rate, rate_o, rate - rate_o, float(low), float(high), n, np.nan,
                         rows_ev))
    # Which of two outlets frames more negatively: the sign of the in-context tone difference of the
    # words that differ, pair by pair, with an exact sign test.
    if "negativity_lean" in table.columns:
        for i, x in enumerate(outlets):
            for y in outlets[i + 1:]:
                ab = table[(table["source_a"] == x) & (table["source_b"] == y)]["negativity_lean"]
                ba = -table[(table["source_a"] == y) & (table["source_b"] == x)]["negativity_lean"]
                lean = pd.concat([ab, ba]).to_numpy(dtype=float)
                lean = lean[np.isfinite(lean) & (lean != 0)]
                k, n = int((lean > 0).sum()), len(lean)
                if n == 0:
                    rows.append((x, y, "more_negative", np.nan, np.nan, np.nan, np.nan, np.nan, 0, np.nan, []))
                    continue
                share = k / n
                ci = binomtest(k, n, 0.5).proportion_ci(confidence_level=level)
                p = float(binomtest(k, n, 0.5).pvalue)
                pair_ids = pd.concat([ab, ba]).index
                ev_rows = ev[ev["pair"].isin(pair_ids) & (ev["component"] == "intensity")].index.tolist()
                rows.append((x, y, "more_negative", share, 1 - share, share - 0.5, float(ci.low), float(ci.high), n, p,
                             ev_rows))
    return pd.DataFrame(rows, columns=DEVICE_COLUMNS)
