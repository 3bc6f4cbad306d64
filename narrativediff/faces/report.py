"""Files from a Comparison: one self-contained HTML report, and its tables as CSV or Excel.

The HTML report holds the notebook view (every aligned pair, not just the first rows; a summary of a
very large comparison) and the plots as base64 PNG images; its CSS and its small filtering script are
inline and it loads nothing from the network, so it can be mailed or archived as one file. The page is the template ``faces/templates/report.html.j2`` (styles in
``report.css``) around the view that :func:`narrativediff.faces.display.render` draws.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime, timezone
from pathlib import Path

from narrativediff.exceptions import InvalidParameterError, MissingDependencyError

__all__ = ["tables", "html_report", "to_html", "to_csv", "to_excel", "figure_png"]

def tables(comparison) -> dict:
    """Every table of a Comparison, by name: ``summary``, ``sentences``, ``removed``, ``alignment``,
    ``unaligned``, then ``evidence`` and ``word_diff`` (each aligned pair's evidence spans and word
    diff, ``pair`` being the alignment row) and ``claims``, ``coverage``, ``near_duplicates``,
    ``omissions`` where the Comparison has them (``omissions`` gathers every outlet's, with an
    ``omitted_by`` column first)."""
    import pandas as pd

    out = {
        "summary": comparison.summary().reset_index(),
        "sentences": comparison.sentences,
        "removed": comparison.removed,
        "alignment": comparison.alignment,
        "unaligned": comparison.unaligned,
    }
    for name in ("evidence", "word_diff", "claims", "coverage", "near_duplicates"):
        if hasattr(comparison, name):
            table = getattr(comparison, name)
            table = table() if callable(table) else table
            if isinstance(table, pd.DataFrame):
                out[name] = table.reset_index() if table.index.name else table
    if callable(getattr(comparison, "omissions", None)):
        parts = []
        for source in comparison.sources:
            table = comparison.omissions(source)
            if isinstance(table, pd.DataFrame):
                parts.append(table.assign(omitted_by=source)[["omitted_by", *table.columns]])
        if parts:
            out["omissions"] = pd.concat(parts, ignore_index=True)
    return out


def figure_png(figure, *, dpi: int = 80) -> str:
    """A matplotlib Figure as a base64 PNG string."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)  # constrained layout already fits; "tight" would draw twice
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(size):
    from matplotlib.figure import Figure

    # A bare Figure, not pyplot: no global state, no window, no backend needed.
    return Figure(figsize=size, layout="constrained")


def html_report(comparison, *, plots: bool = True, title: str | None = None) -> str:
    """The report as one HTML document (a string); see :func:`to_html`."""
    from markupsafe import Markup

    from narrativediff import __version__
    from narrativediff.faces.display import (LARGE_PAIRS, REPORT_LIMITS, REPR_MAX_PAIRS, _css, _template,
                                             comparison_data, render)

    large = len(comparison.alignment) > LARGE_PAIRS
    data = comparison_data(comparison, max_pairs=REPR_MAX_PAIRS if large else None, limits=REPORT_LIMITS)
    if plots:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            plots = False
    if plots:
        data["images"] = _plots(comparison, data)
    title = title or f"narrativediff: {_names(comparison.sources)}"
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    # Every outlet-pair section starts open, so that the page prints whole; a summarised report has
    # at most REPORT_LIMITS["groups"] of them.
    view = Markup(render(data, open_groups=len(data["groups"]), root_id="nd-report", open_reading=True))
    page = _template("report.html.j2").render(title=title, version=__version__, made=made, data=data,
                                              css=Markup(_css("report.css")), view=view,
                                              script=Markup(_script()))
    return page + "\n"


def _names(sources, shown: int = 8) -> str:
    names = ", ".join(str(s) for s in sources[:shown])
    return names if len(sources) <= shown else f"{names} and {len(sources) - shown} more outlets"


def _script() -> str:
    """report.js, made safe to inline: it cannot close its <script> element."""
    from narrativediff.faces.display import _css

    return _css("report.js").replace("</", "<\\/")


def _plots(comparison, data) -> list[dict]:
    """The report's images: coverage of shared claims, the framing profile, and per outlet pair the
    framing components and (for a few outlet pairs) the similarity heatmaps."""
    from narrativediff.faces import plot

    images = []
    matrix = plot.coverage_matrix(comparison, min_outlets=2, wrap=60).head(60)
    if len(matrix):
        fig = _figure(plot.coverage_figsize(matrix))
        plot.plot_coverage(comparison, ax=fig.add_subplot())
        images.append({"title": "Coverage of the claims two or more outlets report", "image": figure_png(fig)})
    if len(comparison.alignment):
        n_sources = len(comparison.sources)
        fig = _figure((7, min(1.4 + 0.3 * n_sources, 40)))
        plot.plot_framing_scores(comparison, ax=fig.add_subplot())
        images.append({"title": "Mean framing score by outlet (95% bootstrap intervals)", "image": figure_png(fig)})
        if data["counts"]["outlet_pairs"] <= 45:
            fig = _figure((8, 1.4 + 0.5 * data["counts"]["outlet_pairs"]))
            plot.plot_framing(comparison, ax=fig.add_subplot())
            images.append({"title": "Framing by outlet pair", "image": figure_png(fig)})
    if len(data["groups"]) <= 10:
        for group in data["groups"]:
            fig = _figure(plot.similarity_figsize(*comparison.similarity(group["source_a"], group["source_b"]).shape))
            plot.plot_similarity(comparison, group["source_a"], group["source_b"], ax=fig.add_subplot())
            group["image"] = figure_png(fig)
    return images


def to_html(comparison, path=None, *, plots: bool = True, title: str | None = None) -> str:
    """Write the comparison as one self-contained HTML file, and return its text.

    Parameters
    ----------
    comparison : Comparison
    path : str or path-like, optional
        Where to write (parent folders are created); ``None`` only returns the text.
    plots : bool, default True
        Embed the coverage, framing and per-pair similarity plots as PNG (needs matplotlib;
        left out without it).
    title : str, optional
        Page title; by default the outlets' names.

    Returns
    -------
    str
        The HTML document: inline CSS and script, images as ``data:`` URIs, nothing fetched. The
        page opens with "How to read this" (every score, its validation with the figures of
        ``docs/benchmarks.md``, what it misses), then the claims two or more outlets report side
        by side with the evidence words marked, and every aligned pair by outlet pair. A small
        inline script filters by outlet, relation, evidence component and quote or narration,
        sorts, and unfolds every section (also before printing); the filter is kept in the
        address (``report.html#outlet=2&relation=same_claim``), so a filtered view can be cited.
        A comparison of more than :data:`~narrativediff.faces.display.LARGE_PAIRS` pairs is
        summarised (see :data:`~narrativediff.faces.display.REPORT_LIMITS`).

    Examples
    --------
    >>> import narrativediff as nd
    >>> c = nd.compare(nd.load_articles(nd.example_path()))  # doctest: +SKIP
    >>> c.to_html("report.html")  # doctest: +SKIP
    """
    text = html_report(comparison, plots=plots, title=title)
    if path is not None:
        write_text(path, text, what="the report")
    return text


def write_text(path, text: str, *, what: str) -> Path:
    """Write ``text`` (UTF-8) to the file ``path``, making its folder; a folder given as ``path`` is refused."""
    path = Path(path)
    if path.is_dir():
        raise InvalidParameterError(f"path must be a file to write {what} to; got the folder {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def to_csv(comparison, folder) -> dict:
    """Write every table of :func:`tables` as ``<folder>/<name>.csv`` (UTF-8); return ``{name: path}``.

    A text cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return) is written with a leading apostrophe, so that opening the file in a
    spreadsheet shows the article's text instead of running it.
    """
    return write_csv(tables(comparison), folder)


def write_csv(named: dict, folder) -> dict:
    """Write each table of ``named`` as ``<folder>/<name>.csv``, cells made safe as :func:`to_csv` says."""
    return write_tables(named, folder, kind="CSV", suffix=".csv",
                        write=lambda table, path: _safe_cells(table).to_csv(path, index=False, encoding="utf-8"))


def write_tables(named: dict, folder, *, kind: str, suffix: str, write) -> dict:
    """Write each table of ``named`` as ``<folder>/<name><suffix>`` with ``write(table, path)``.

    ``folder`` is made if missing; a file in its place raises :class:`InvalidParameterError` naming
    ``kind`` (the files' format). Returns ``{name: path}``.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidParameterError(f"folder must be a folder for the {kind} files; got the file {str(folder)!r}.")
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table in named.items():
        written[name] = folder / f"{name}{suffix}"
        write(table, written[name])
    return written


# Characters that openpyxl refuses in a cell (XML 1.0 forbids them); article text may carry them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cell that starts like this is read as a formula by spreadsheet programs (CSV injection):
# "=HYPERLINK(...)" in an article would become a live link. Such cells get a leading apostrophe,
# which spreadsheets show as text and do not display.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value, *, excel: bool):
    if not isinstance(value, str):
        return value
    if excel:
        value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _safe_cells(table, *, excel: bool = False):
    """A copy of ``table`` whose text cells a spreadsheet shows as text: never a formula, no illegal characters."""
    import pandas as pd

    clean = table.copy()
    for column in clean.columns:
        if pd.api.types.is_object_dtype(clean[column]) or pd.api.types.is_string_dtype(clean[column]):
            clean[column] = clean[column].map(lambda v: _safe_cell(v, excel=excel))
    return clean


def to_excel(comparison, path) -> Path:
    """Write every table of :func:`tables` as one sheet of an ``.xlsx`` workbook; return its path.

    Text cells are written as text, never as formulas (a leading apostrophe where a cell starts
    like one, as in :func:`to_csv`); characters XML forbids are left out.

    Raises
    ------
    MissingDependencyError
        openpyxl is not installed (``pip install narrativediff[excel]``).
    """
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "writing Excel files needs openpyxl; install it with `pip install narrativediff[excel]`."
        ) from None
    import pandas as pd

    path = Path(path)
    if path.is_dir():
        raise InvalidParameterError(f"path must be an .xlsx file; got the folder {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables(comparison).items():
            _safe_cells(table, excel=True).to_excel(writer, sheet_name=name[:31], index=False)
    return path
