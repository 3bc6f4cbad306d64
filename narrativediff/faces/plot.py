"""Matplotlib plots of a Comparison; each returns the Axes it drew on so users can restyle it.

matplotlib is imported only when a plot is drawn (``pip install narrativediff[plot]``). Without a
display (no ``$DISPLAY``, not in Jupyter, no ``MPLBACKEND``) the Agg backend is chosen, so plots work
in scripts, CI and on servers.
"""

from __future__ import annotations

import os
import sys

from narrativediff.exceptions import InvalidParameterError, MissingDependencyError, check_choice

__all__ = [
    "coverage_matrix",
    "framing_by_pair",
    "plot_similarity",
    "plot_coverage",
    "plot_framing",
    "plot_framing_scores",
    "framing_score_table",
    "plot_framing_profile",
    "framing_profile_table",
    "plot_timeline",
    "COVERAGE_LEVELS",
]

#: Values of :func:`coverage_matrix` in the derived (sentence) form, and what they mean.
COVERAGE_LEVELS = {0: "not reported", 1: "reported (aligned sentence)", 2: "the sentence's own outlet"}


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError(
            "plotting needs matplotlib; install it with `pip install narrativediff[plot]`."
        ) from None
    headless = (not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
                and sys.platform.startswith("linux"))
    if headless and "MPLBACKEND" not in os.environ and "ipykernel" not in sys.modules \
            and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _literal(text) -> str:
    """``text`` as matplotlib draws it literally: outlet names and article text are never TeX.

    A name like ``$\\alpha_$`` would otherwise be parsed as mathtext when the figure is drawn, and
    fail there, far from the plot call. An escaped dollar sign is drawn as a dollar sign.
    """
    return str(text).replace("$", r"\$")


def _axes(ax, size):
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=size, layout="constrained")
    return ax


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _wrapped(label: str, width: int | None) -> str:
    import textwrap

    return label if width is None else textwrap.fill(label, width=width, break_long_words=True)


def coverage_matrix(comparison, *, by: str = "auto", min_outlets: int = 0, wrap: int | None = None):
    """Which outlet reports what, as a DataFrame with one column per outlet.

    When the Comparison has a ``coverage`` table (claims by outlets, from the claims stage), its
    outlet columns are returned as numbers (1 = the outlet reports the claim), most widely reported
    claims first, rows labelled ``"claim_id text…"``. Without one, the
    matrix is derived from the alignment: one row per sentence (``"source[sent_id] text…"``), with
    2 in the sentence's own outlet, 1 in every outlet holding an aligned counterpart, 0 elsewhere.

    Parameters
    ----------
    comparison : Comparison
    by : {"auto", "claim", "sentence"}, default "auto"
        Rows: claims when the Comparison has a coverage table (``"auto"``), or always sentences.
    min_outlets : int, default 0
        Keep only rows that at least this many outlets report (2: what outlets share).
    wrap : int, optional
        Label rows with the claim's (or sentence's) whole text, wrapped at this many characters
        (``textwrap``); ``None`` labels them with the first 40 characters.

    Returns
    -------
    DataFrame
        Rows as described, columns :attr:`Comparison.sources`.
    """
    import numpy as np
    import pandas as pd

    check_choice("by", by, ("auto", "claim", "sentence"))
    sources = comparison.sources
    coverage = getattr(comparison, "coverage", None) if by != "sentence" else None
    if callable(coverage):
        coverage = coverage()
    has_claims = isinstance(coverage, pd.DataFrame) and set(sources) <= set(coverage.columns)
    if by == "claim" and not has_claims:
        raise InvalidParameterError("by='claim' needs a Comparison with a coverage table (claims by outlets); "
                                    "use by='sentence' or 'auto'.")
    if has_claims:
        matrix = coverage[sources].astype(float)
        if "text" in coverage.columns:
            matrix.index = [_wrapped(f"{claim} {str(text) if wrap else _short(str(text), 40)}", wrap)
                            for claim, text in zip(coverage.index, coverage["text"])]
        # Most widely reported claims first: the shared core on top, each outlet's own claims below.
        order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
        matrix = matrix.loc[order]
        return matrix[(matrix > 0).sum(axis=1) >= min_outlets]

    sentences = comparison.sentences
    row_of = {(s, i): k for k, (s, i) in enumerate(zip(sentences["source"], sentences["sent_id"]))}
    col_of = {s: k for k, s in enumerate(sources)}
    matrix = np.zeros((len(sentences), len(sources)), dtype=int)
    for k, source in enumerate(sentences["source"]):
        matrix[k, col_of[source]] = 2
    alignment = comparison.alignment
    for sa, ia, sb, ib in zip(alignment["source_a"], alignment["sent_a"], alignment["source_b"], alignment["sent_b"]):
        matrix[row_of[(sa, ia)], col_of[sb]] = 1
        matrix[row_of[(sb, ib)], col_of[sa]] = 1
    labels = [_wrapped(f"{s}[{i}] {t if wrap else _short(t, 40)}", wrap)
              for s, i, t in zip(sentences["source"], sentences["sent_id"], sentences["text"])]
    table = pd.DataFrame(matrix, index=labels, columns=sources)
    return table[(table > 0).sum(axis=1) >= min_outlets]


def framing_by_pair(comparison):
    """Mean framing score and components per outlet pair (rows ``"a \u2194 b"``)."""
    import pandas as pd

    from narrativediff.framing import COMPONENTS

    alignment = comparison.alignment
    columns = ["framing_score"] + [c for c in COMPONENTS if c in alignment.columns]
    sources = comparison.sources
    rows, index, counts = [], [], []
    for i, a in enumerate(sources):
        for b in sources[i + 1:]:
            pairs = comparison.pairs(a, b)
            if len(pairs):
                rows.append(pairs[columns].mean())
                index.append(f"{a} \u2194 {b}")
                counts.append(len(pairs))
    table = pd.DataFrame(rows, index=index, columns=columns)
    table.insert(0, "n_pairs", counts)
    return table


def similarity_figsize(n_a: int, n_b: int) -> tuple[float, float]:
    """A figure size (inches) that fits an ``n_a`` by ``n_b`` heatmap with its labels."""
    return (min(max(4.8, 2.6 + 0.28 * n_b), 14), min(max(3.2, 2.0 + 0.28 * n_a), 14))


def plot_similarity(comparison, source_a: str, source_b: str, *, ax=None, mark_aligned: bool = True):
    """Heatmap of sentence similarity between two outlets, aligned pairs outlined.

    Parameters
    ----------
    comparison : Comparison
    source_a, source_b : str
        Outlets on the rows and the columns.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    mark_aligned : bool, default True
        Outline the cells of aligned pairs.

    Returns
    -------
    matplotlib.axes.Axes
        One image cell per sentence pair (``len(a)`` rows by ``len(b)`` columns).
    """
    matrix = comparison.similarity(source_a, source_b)
    n_a, n_b = matrix.shape
    ax = _axes(ax, similarity_figsize(n_a, n_b))
    from matplotlib.patches import Rectangle

    image = ax.imshow(matrix.to_numpy(), cmap="viridis", vmin=min(0.0, float(matrix.to_numpy().min())), vmax=1.0,
                      aspect="auto", interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="cosine similarity", shrink=0.8)
    if mark_aligned:
        rows = {sent: k for k, sent in enumerate(matrix.index)}
        cols = {sent: k for k, sent in enumerate(matrix.columns)}
        for sa, sb in zip(*(comparison.pairs(source_a, source_b)[c] for c in ("sent_a", "sent_b"))):
            ax.add_patch(Rectangle((cols[sb] - 0.5, rows[sa] - 0.5), 1, 1, fill=False, edgecolor="#e45756", lw=1.6))
    step_a, step_b = max(1, n_a // 30 + 1), max(1, n_b // 30 + 1)
    ax.set_yticks(range(0, n_a, step_a), [_literal(s) for s in matrix.index[::step_a]], fontsize=8)
    ax.set_xticks(range(0, n_b, step_b), [_literal(s) for s in matrix.columns[::step_b]], fontsize=8)
    ax.set_ylabel(f"{_literal(source_a)} sentence")
    ax.set_xlabel(f"{_literal(source_b)} sentence" + ("\n(outlined: aligned pairs)" if mark_aligned else ""))
    ax.set_title(f"Sentence similarity, {_literal(source_a)} vs {_literal(source_b)}", fontsize=9)
    return ax


def coverage_figsize(matrix) -> tuple[float, float]:
    """A figure size (inches) for :func:`plot_coverage` of ``matrix``: room for every label's lines."""
    lines = sum(str(label).count("\n") + 1 for label in matrix.index)
    width = max((len(line) for label in matrix.index for line in str(label).split("\n")), default=10)
    return (min(2.5 + 0.055 * width + 0.35 * matrix.shape[1], 40), min(1.6 + 0.15 * lines + 0.1 * len(matrix), 60))


def plot_coverage(comparison, *, ax=None, by: str = "auto", min_outlets: int = 2, max_rows: int | None = 60,
                  wrap: int = 60):
    """Which outlet reports what: :func:`coverage_matrix` as a grid of cells, labelled in full.

    Parameters
    ----------
    comparison : Comparison
    ax : matplotlib Axes, optional
    by : {"auto", "claim", "sentence"}, default "auto"
        As in :func:`coverage_matrix`: claims when the Comparison has claims, else sentences.
    min_outlets : int, default 2
        Rows that at least this many outlets report: by default what outlets share, not each
        outlet's own sentences (those are listed under "Sentences no other outlet reports").
    max_rows : int, optional, default 60
        At most this many rows (the most widely reported); the title says how many were left out.
        ``None`` draws them all.
    wrap : int, default 60
        Each row is labelled with its whole text, wrapped at this many characters.

    Returns
    -------
    matplotlib.axes.Axes
        One image cell per row and outlet drawn.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    full = coverage_matrix(comparison, by=by, min_outlets=min_outlets, wrap=wrap)
    matrix = full if max_rows is None else full.head(max_rows)
    n_rows, n_cols = matrix.shape
    ax = _axes(ax, coverage_figsize(matrix))
    derived = by == "sentence" or int(matrix.to_numpy().max(initial=0)) == 2
    colors = ["#eeeeee", "#4c78a8", "#1b2a41"] if derived else ["#eeeeee", "#4c78a8"]
    if n_rows:
        ax.imshow(matrix.to_numpy(), cmap=ListedColormap(colors), vmin=-0.5, vmax=len(colors) - 0.5,
                  aspect="auto", interpolation="nearest")
    ax.set_xticks(range(n_cols), [_literal(s) for s in matrix.columns], rotation=30, ha="right", fontsize=9)
    ax.set_yticks(range(n_rows), [_literal(s) for s in matrix.index], fontsize=7)
    ax.set_xticks([x - 0.5 for x in range(1, n_cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, n_rows)], minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    what = "claims" if not derived else "sentences"
    if derived:
        handles = [Patch(color=colors[k], label=COVERAGE_LEVELS[k]) for k in (2, 1, 0)]
        title = "Coverage: sentences (rows) with a counterpart in each outlet"
    else:
        handles = [Patch(color=colors[1], label="reports the claim"), Patch(color=colors[0], label="does not")]
        title = "Coverage: claims (rows) by outlet"
    if min_outlets > 1:
        title += f"\n{what} that {min_outlets} or more outlets report"
    if len(full) > n_rows:
        title += f" (the {n_rows} most widely reported of {len(full)})"
    if not n_rows:
        title += f"\n(no {what[:-1]} is reported by {min_outlets} or more outlets)"
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(title, fontsize=10)
    return ax


def plot_framing(comparison, *, ax=None):
    """Mean framing components per outlet pair, as grouped horizontal bars.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per outlet pair and component (the combined score drawn as a black tick).
    """
    import numpy as np

    table = framing_by_pair(comparison)
    components = [c for c in table.columns if c not in ("n_pairs", "framing_score")]
    n = len(table)
    ax = _axes(ax, (8, 1.4 + 0.5 * max(n, 1)))
    height = 0.8 / max(len(components), 1)
    y = np.arange(n)
    palette = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d", "#72b7b2"]
    for k, component in enumerate(components):
        ax.barh(y - 0.4 + height * (k + 0.5), table[component].to_numpy(), height=height,
                color=palette[k % len(palette)], label=component.replace("_", " "))
    if n:
        ax.scatter(table["framing_score"].to_numpy(), y, marker="|", s=300, color="black", zorder=3,
                   label="framing score")
    ax.set_yticks(y, [f"{_literal(name)} ({count})" for name, count in zip(table.index, table["n_pairs"])], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("mean over aligned pairs")
    ax.set_title("Framing components by outlet pair (number of aligned pairs)", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return ax


def framing_score_table(comparison, *, same_claim_only: bool = True):
    """Mean framing score per outlet with bootstrap 95% intervals (what :func:`plot_framing_scores` draws).

    :func:`narrativediff.framing.profile.framing_scores` over the pairs that report the same claim
    (all aligned pairs with ``same_claim_only=False``, or when none does). Not to be confused with
    ``Comparison.framing_profile()``, which profiles each outlet's framing devices.

    Parameters
    ----------
    comparison : Comparison
    same_claim_only : bool, default True

    Returns
    -------
    DataFrame
        Index ``source``, columns ``n_pairs``, ``mean``, ``low``, ``high``.
    """
    from narrativediff.comparison import same_claim_mask
    from narrativediff.framing.profile import framing_scores

    alignment = comparison.alignment
    mask = same_claim_mask(alignment) if same_claim_only else None
    if mask is not None and not mask.any():
        mask = None
    return framing_scores(alignment, comparison.sources, pairs=mask)


def _deprecated(old: str, new: str) -> None:
    import warnings

    warnings.warn(f"{old} is deprecated and will be removed; use {new} (same arguments, same result). "
                  "Comparison.framing_profile() is the table of framing devices, a different thing.",
                  FutureWarning, stacklevel=3)


def framing_profile_table(comparison, *, same_claim_only: bool = True):
    """Deprecated name of :func:`framing_score_table` (warns ``FutureWarning``)."""
    _deprecated("framing_profile_table", "framing_score_table")
    return framing_score_table(comparison, same_claim_only=same_claim_only)


def plot_framing_profile(comparison, *, ax=None, same_claim_only: bool = True):
    """Deprecated name of :func:`plot_framing_scores` (warns ``FutureWarning``)."""
    _deprecated("plot_framing_profile", "plot_framing_scores")
    return plot_framing_scores(comparison, ax=ax, same_claim_only=same_claim_only)


def plot_framing_scores(comparison, *, ax=None, same_claim_only: bool = True):
    """Each outlet's mean framing score over its aligned pairs, with a bootstrap 95% interval.

    Parameters
    ----------
    comparison : Comparison
    ax : matplotlib Axes, optional
    same_claim_only : bool, default True
        Average over the pairs that report the same claim (framing differences between sentences
        that say different things are differences of content).

    Returns
    -------
    matplotlib.axes.Axes
        One point and interval line per outlet with pairs, highest mean on top.
    """
    profile = framing_score_table(comparison, same_claim_only=same_claim_only)
    shown = profile[profile["mean"].notna()].sort_values("mean", ascending=False, kind="stable")
    n = len(shown)
    ax = _axes(ax, (7, min(1.4 + 0.3 * max(n, 1), 40)))
    y = list(range(n))
    if n:
        if {"low", "high"} <= set(shown.columns):
            ax.hlines(y, shown["low"], shown["high"], color="#4c78a8", lw=2, label="95% bootstrap interval")
        ax.scatter(shown["mean"], y, color="#1b2a41", zorder=3, s=25, label="mean framing score")
    counts = shown["n_pairs"] if "n_pairs" in shown.columns else [""] * n
    ax.set_yticks(y, [f"{_literal(name)} ({count})" for name, count in zip(shown.index, counts)], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("mean framing score over the outlet's pairs (number of pairs)")
    ax.set_title("Mean framing score by outlet" + (" (pairs reporting the same claim)" if same_claim_only else ""),
                 fontsize=10)
    if n:
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    return ax

def plot_timeline(comparison, *, ax=None):
    """When each outlet published, one row per outlet, joined where their articles share sentences.

    Outlets whose article has no date are left out (named in the title). A line joins two outlets
    that have aligned sentences, thicker for more pairs, so a story picked up days later stands
    apart from the wire copies of the first hours.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InvalidParameterError
        No article has a publication date (give ``published=``, or read pages that state it).
    """
    import pandas as pd

    dates = comparison.sentences.drop_duplicates("source").set_index("source")
    dates = dates["published"] if "published" in dates else pd.Series(dtype="datetime64[ns, UTC]")
    known = dates.dropna().sort_values()
    if known.empty:
        raise InvalidParameterError(
            "plot_timeline needs publication dates, and no article has one; give each nd.Article "
            "published= (ISO 8601), or read web pages that state their date."
        )
    missing = [source for source in comparison.sources if source not in known.index]
    ax = _axes(ax, (8, 1.2 + 0.45 * len(known)))
    row = {source: k for k, source in enumerate(known.index)}
    times = known.dt.tz_convert(None)
    counts = comparison.alignment.groupby(["source_a", "source_b"]).size() if len(comparison.alignment) else {}
    most = max(dict(counts).values(), default=1)
    for (a, b), n in dict(counts).items():
        if a in row and b in row:
            ax.plot([times[a], times[b]], [row[a], row[b]], color="#9aa7b5", linewidth=0.5 + 3.5 * n / most,
                    zorder=1)
    ax.scatter(times.to_numpy(), [row[s] for s in known.index], s=60, color="#4c78a8", zorder=2)
    ax.set_yticks(range(len(known)), [_literal(s) for s in known.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("published (UTC)")
    title = "Publication times; lines join outlets with aligned sentences"
    if missing:
        title += f"\n(no date: {_literal(', '.join(missing))})"
    ax.set_title(title, fontsize=10)
    ax.figure.autofmt_xdate()
    return ax
