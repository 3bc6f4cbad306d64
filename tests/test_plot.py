"""Plots: each returns its Axes, with one cell or bar per thing it shows; matplotlib only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from narrativediff.faces import plot  # noqa: E402
from narrativediff.framing import COMPONENTS  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_similarity_heatmap_has_one_cell_per_sentence_pair(example_comparison):
    a, b = example_comparison.sources[:2]
    ax = example_comparison.plot_similarity(a, b)
    assert isinstance(ax, Axes)
    n_a = (example_comparison.sentences["source"] == a).sum()
    n_b = (example_comparison.sentences["source"] == b).sum()
    assert ax.images[0].get_array().shape == (n_a, n_b)
    outlined = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(outlined) == len(example_comparison.pairs(a, b))
    assert a in ax.get_ylabel() and b in ax.get_xlabel()


def test_plots_draw_on_the_axes_given(example_comparison):
    fig = Figure()
    ax = fig.add_subplot()
    assert example_comparison.plot_coverage(ax=ax) is ax
    ax2 = fig.add_subplot(2, 1, 2)
    assert example_comparison.plot_framing(ax=ax2) is ax2


def test_coverage_matrix_derived_from_the_alignment(example_comparison):
    matrix = plot.coverage_matrix(example_comparison, by="sentence")
    assert list(matrix.columns) == example_comparison.sources
    assert len(matrix) == len(example_comparison.sentences)
    values = matrix.to_numpy()
    assert (values == 2).sum(axis=1).tolist() == [1] * len(matrix)  # each sentence has one own outlet
    # an unaligned sentence has no counterpart anywhere
    unaligned = {f"{r.source}[{r.sent_id}]" for r in example_comparison.unaligned.itertuples()}
    for label, row in matrix.iterrows():
        if label.split(" ")[0] in unaligned:
            assert (row == 1).sum() == 0
    ax = example_comparison.plot_coverage(by="sentence", min_outlets=1, max_rows=None)
    assert ax.images[0].get_array().shape == matrix.shape
    assert "sentences" in ax.get_title()


def test_coverage_matrix_counts_each_counterpart_outlet(example_comparison):
    matrix = plot.coverage_matrix(example_comparison, by="sentence")
    alignment = example_comparison.alignment
    expected = set()
    for r in alignment.itertuples():
        expected.add((f"{r.source_a}[{r.sent_a}]", r.source_b))
        expected.add((f"{r.source_b}[{r.sent_b}]", r.source_a))
    got = {(label.split(" ")[0], source) for label, row in matrix.iterrows() for source in matrix.columns
           if row[source] == 1}
    assert got == expected


def test_coverage_uses_the_claims_table_when_there_is_one(example_comparison):
    import dataclasses

    import pandas as pd

    import narrativediff as nd

    sources = example_comparison.sources

    class WithClaims(nd.Comparison):
        @property
        def coverage(self):
            return pd.DataFrame({s: [True, s == sources[0], False] for s in sources},
                                index=pd.Index(["c1", "c2", "c3"], name="claim_id"))

    c = WithClaims(**{f.name: getattr(example_comparison, f.name) for f in dataclasses.fields(example_comparison)})
    ax = c.plot_coverage(min_outlets=0)
    assert ax.images[0].get_array().shape == (3, len(sources))
    assert c.plot_coverage().images[0].get_array().shape == (1, len(sources))  # only what outlets share
    assert "claims" in ax.get_title()
    matrix = plot.coverage_matrix(c)
    assert matrix.sum(axis=1).tolist() == [len(sources), 1.0, 0.0]  # most widely reported first


def test_coverage_by_claim_needs_a_coverage_table(example_comparison):
    import dataclasses

    import narrativediff as nd

    class WithoutClaims(nd.Comparison):
        coverage = None

    c = WithoutClaims(**{f.name: getattr(example_comparison, f.name) for f in dataclasses.fields(example_comparison)})
    with pytest.raises(nd.InvalidParameterError, match="by='claim'"):
        plot.coverage_matrix(c, by="claim")
    assert len(plot.coverage_matrix(c)) == len(example_comparison.sentences)  # auto falls back to sentences
    with pytest.raises(nd.InvalidParameterError, match="by must be one of"):
        plot.coverage_matrix(c, by="outlet")


def test_framing_plot_has_one_bar_per_outlet_pair_and_component(example_comparison):
    table = plot.framing_by_pair(example_comparison)
    components = [c for c in COMPONENTS if c in example_comparison.alignment.columns]
    assert table["n_pairs"].sum() == len(example_comparison.alignment)
    ax = example_comparison.plot_framing()
    assert len(ax.patches) == len(table) * len(components)
    assert len(ax.get_yticklabels()) == len(table)


def test_matplotlib_is_not_imported_by_the_library_until_a_plot_is_drawn():
    code = ("import sys, narrativediff, narrativediff.faces.display, narrativediff.faces.report, narrativediff.faces.cli; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_agg_backend_without_a_display():
    code = ("import os; os.environ.pop('DISPLAY', None); os.environ.pop('MPLBACKEND', None); "
            "os.environ.pop('WAYLAND_DISPLAY', None); "
            "from narrativediff.faces.plot import _pyplot; print(_pyplot().get_backend().lower())")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "MPLBACKEND", "WAYLAND_DISPLAY")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "agg"


def test_outlet_names_with_tex_marks_are_drawn_as_text(encoder, tmp_path):
    """An outlet named like a TeX formula is a name: the report's plots draw it as written."""
    import narrativediff as nd

    comparison = nd.compare({
        r"$\alpha_$": "Dock workers walked out at the port of Velmora on Monday, the union said.",
        r"50$ news": "Dock workers at the port of Velmora went on strike on Monday, their union said.",
    }, model=encoder, cache=nd.EmbeddingCache())
    page = comparison.to_html(tmp_path / "report.html")
    assert "<img" in page
    ax = comparison.plot_framing()
    ax.figure.canvas.draw()
    assert any(r"\$\alpha_\$" in label.get_text() for label in ax.get_yticklabels())


def test_coverage_plot_shows_shared_claims_with_whole_wrapped_labels(seeds_comparison):
    c = seeds_comparison
    ax = c.plot_coverage()
    shared = c.coverage[c.coverage[c.sources].sum(axis=1) >= 2]
    assert ax.images[0].get_array().shape[0] == min(len(shared), 60)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    squeezed = ["".join(label.split()) for label in labels]
    shown = [text for text in shared["text"] if any(q.endswith("".join(_literal_text(text).split())) for q in squeezed)]
    assert len(shown) == len(labels)  # every label holds its claim's whole text
    assert max(map(len, shown)) > 60 and any("\n" in label for label in labels)  # long ones wrapped, not cut
    assert all(max(len(line) for line in label.split("\n")) <= 60 for label in labels)


def _literal_text(text):
    return text.replace("$", r"\$")


def test_framing_scores_have_one_interval_per_outlet(example_comparison):
    from narrativediff.framing.profile import framing_scores

    c = example_comparison
    table = plot.framing_score_table(c)
    assert list(table.index) == c.sources and list(table.columns) == ["n_pairs", "mean", "low", "high"]
    shown = table[table["n_pairs"] > 0]
    assert ((shown["low"] <= shown["mean"]) & (shown["mean"] <= shown["high"])).all()
    from narrativediff.comparison import same_claim_mask

    mask = same_claim_mask(c.alignment)
    same = c.alignment[mask]
    first = c.sources[0]
    mine = same[(same["source_a"] == first) | (same["source_b"] == first)]["framing_score"]
    assert table.loc[first, "n_pairs"] == len(mine) and table.loc[first, "mean"] == pytest.approx(mine.mean())
    again = framing_scores(c.alignment, c.sources, pairs=mask)
    assert again.equals(table)  # seeded: the same intervals every time
    ax = c.plot_framing_scores()
    assert len(ax.get_yticklabels()) == len(shown)
    assert len(ax.collections) == 2  # the intervals and the means


def test_old_framing_profile_plot_names_warn_and_draw_the_same(example_comparison):
    """The mean-score plot was once called framing_profile, the name of the device table: the old names warn."""
    from narrativediff.comparison import same_claim_mask
    from narrativediff.framing.profile import framing_profile, framing_scores

    c = example_comparison
    with pytest.warns(FutureWarning, match="framing_score_table"):
        old = plot.framing_profile_table(c)
    assert old.equals(plot.framing_score_table(c))
    mask = same_claim_mask(c.alignment)
    with pytest.warns(FutureWarning, match="framing_scores"):
        old_scores = framing_profile(c.alignment, c.sources, pairs=mask)
    assert old_scores.equals(framing_scores(c.alignment, c.sources, pairs=mask))
    with pytest.warns(FutureWarning, match="plot_framing_scores"):
        ax = plot.plot_framing_profile(c)
    with pytest.warns(FutureWarning, match="plot_framing_scores"):
        ax_method = c.plot_framing_profile()
    new = c.plot_framing_scores()
    for drawn in (ax, ax_method):
        assert [t.get_text() for t in drawn.get_yticklabels()] == [t.get_text() for t in new.get_yticklabels()]
    # Comparison.framing_profile() stays the device table, with no warning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        devices = c.framing_profile(n_boot=50)
    assert "measure" in devices.columns and "mean" not in devices.columns
