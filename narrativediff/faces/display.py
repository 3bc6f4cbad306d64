"""Notebook view of a Comparison: results to plain dicts, then dicts to scoped, escaped HTML.

Two steps, as in spaCy's displaCy: :func:`comparison_data` turns a :class:`~narrativediff.Comparison`
into plain dicts and lists (testable without HTML), and :func:`render` turns those into an HTML
fragment (testable without a model). The first step reads the tables the comparison kept
(``alignment``, ``word_diff``, ``evidence``): nothing is scored or tokenized again. The second step
renders Jinja2 templates (``faces/templates/``) in which every printed value is HTML-escaped; the
CSS (``view.css``) applies only inside one container whose id is unique per rendering, so it cannot
leak into the rest of a notebook. The fragment uses no JavaScript: sections fold with ``<details>``.

>>> import narrativediff as nd
>>> from narrativediff.faces import display
>>> r = nd.score_pair("Police said rioters attacked <the> port.", "Police said protesters attacked <the> port.")
>>> [(s["text"], s["tag"]) for s in display.pair_data(r)["segments_a"]]
[('Police said ', None), ('rioters', 'replace'), (' attacked <the> port.', None)]
>>> "&lt;the&gt;" in display.render_pair(display.pair_data(r))
True
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import uuid
from typing import Any

__all__ = [
    "TAGS",
    "pair_data",
    "comparison_data",
    "table_data",
    "render",
    "render_pair",
    "comparison_html",
    "REPR_MAX_PAIRS",
    "INLINE_EVIDENCE_CHARS",
]

#: Diff tags shown in the view, with the words the legend uses for them.
TAGS = {
    "replace": "replaced: different words on each side",
    "delete": "only on the left (deleted on the right)",
    "insert": "only on the right (inserted)",
}

#: Rows per outlet pair shown by ``Comparison._repr_html_``; the HTML report shows them all.
REPR_MAX_PAIRS = 25

#: Evidence spans up to this many characters are painted in the sentence; longer ones (a whole
#: quote) would bolden the sentence, so they are listed in their component's tooltip only.
INLINE_EVIDENCE_CHARS = 40


# --------------------------------------------------------------------------- step 1: results -> dicts


def _segments(text: str, changes: list[tuple[int, int, str]], evidence: list[tuple[int, int, str]]) -> list[dict]:
    """Cut ``text`` into runs that share one diff tag and one set of evidence reasons."""
    n = len(text)
    tags: list[str | None] = [None] * n
    reasons: list[tuple[str, ...]] = [()] * n
    for start, end, tag in changes:
        for k in range(max(start, 0), min(end, n)):
            tags[k] = tag
    for start, end, why in evidence:
        for k in range(max(start, 0), min(end, n)):
            if why not in reasons[k]:
                reasons[k] = reasons[k] + (why,)
    out: list[dict] = []
    for k, char in enumerate(text):
        key = (tags[k], reasons[k])
        if out and (out[-1]["tag"], tuple(out[-1]["evidence"])) == key:
            out[-1]["text"] += char
        else:
            out.append({"text": char, "tag": tags[k], "evidence": list(reasons[k])})
    return out


#: How the tags read with the sides swapped: words only on one side are only on the other.
_MIRRORED = {"insert": "delete", "delete": "insert"}


def _pair_dict(*, source_a: str, source_b: str, text_a: str, text_b: str, score: float, components: dict,
               explanation: str, diff, evidence, swapped: bool = False) -> dict:
    """The dict of one pair from its word diff and evidence, in the rows of ``Comparison.word_diff``
    and ``Comparison.evidence`` (mappings with the columns the tables have).

    ``swapped``: the rows were made with the sides the other way round (the pair is shown with
    ``source_b`` of the alignment on the left), so sides and insert/delete trade places.
    """
    flip = {"a": "b", "b": "a"} if swapped else {"a": "a", "b": "b"}
    changes: dict[str, list] = {"a": [], "b": []}
    for op in diff:
        if op["tag"] == "equal":
            continue
        tag = _MIRRORED.get(op["tag"], op["tag"]) if swapped else op["tag"]
        for side in ("a", "b"):
            start, end = int(op[f"start_{flip[side]}"]), int(op[f"end_{flip[side]}"])
            if end > start:
                changes[side].append((start, end, tag))
    marks: dict[str, list] = {"a": [], "b": []}
    by_component: dict[str, list[str]] = {}
    for ev in evidence:
        side = flip[ev["side"]]
        label = f"{ev['component'].replace('_', ' ')}: {ev['why']}"
        if ev["end"] - ev["start"] <= INLINE_EVIDENCE_CHARS:
            marks[side].append((int(ev["start"]), int(ev["end"]), label))
        quoted = ev["text"] if len(ev["text"]) <= 50 else ev["text"][:49] + "\u2026"
        by_component.setdefault(ev["component"], []).append(f"{side}: \u201c{quoted}\u201d ({ev['why']})")
    return {
        "source_a": source_a,
        "source_b": source_b,
        "text_a": text_a,
        "text_b": text_b,
        "score": float(score),
        "components": [
            {"name": name, "value": float(value), "evidence": by_component.get(name, [])}
            for name, value in components.items()
        ],
        "explanation": explanation,
        "segments_a": _segments(text_a, changes["a"], marks["a"]),
        "segments_b": _segments(text_b, changes["b"], marks["b"]),
    }


def pair_data(result, **extra) -> dict:
    """Plain-dict view of one scored pair (a :class:`~narrativediff.FramingResult`).

    Parameters
    ----------
    result : FramingResult
        From :func:`narrativediff.score_pair` (or :meth:`narrativediff.Comparison.framing`).
    **extra
        Stored as they are (``similarity``, ``sent_a``, ...); ``score`` and ``components`` given
        here replace the result's own (the comparison's table is the reference).

    Returns
    -------
    dict
        ``source_a``, ``source_b``, ``text_a``, ``text_b``, ``score``, ``components`` (list of
        ``{"name", "value", "evidence"}``), ``explanation``, and ``segments_a`` / ``segments_b``:
        the sentence cut into runs ``{"text", "tag", "evidence"}`` where ``tag`` is ``None``
        (unchanged), ``"replace"``, ``"delete"`` (left only) or ``"insert"`` (right only), and
        ``evidence`` lists the reasons of the framing evidence covering that run.
    """
    data = _pair_dict(
        source_a=result.source_a, source_b=result.source_b, text_a=result.text_a, text_b=result.text_b,
        score=extra.pop("score", result.score), components=extra.pop("components", result.components),
        explanation=result.explanation, diff=result.diff_rows(),
        evidence=[ev._asdict() for ev in result.evidence],
    )
    data.update(extra)
    return data


def table_data(frame, *, max_rows: int | None = None) -> dict:
    """A DataFrame as ``{"columns": [...], "rows": [[str, ...]], "more": int}`` (cells as text)."""
    import pandas as pd

    shown = frame if max_rows is None else frame.head(max_rows)
    rows = []
    for values in shown.itertuples(index=False, name=None):
        cells = []
        for value in values:
            if isinstance(value, bool) or type(value).__name__ == "bool_":
                cells.append("\u2713" if value else "\u2013")
            elif isinstance(value, float):
                cells.append("" if pd.isna(value) else f"{value:.2f}")
            elif value is None or (not isinstance(value, (str, list, tuple, dict)) and pd.isna(value)):
                cells.append("")
            else:
                cells.append(str(value))
        rows.append(cells)
    return {"columns": [str(c) for c in shown.columns], "rows": rows, "more": int(len(frame) - len(shown))}


def _optional_tables(comparison) -> tuple[dict | None, list[dict]]:
    """Coverage and omissions, when the Comparison offers them (the claims stage adds them)."""
    import pandas as pd

    coverage = None
    if hasattr(comparison, "coverage"):
        table = comparison.coverage
        table = table() if callable(table) else table
        if isinstance(table, pd.DataFrame):
            coverage = table_data(table.reset_index() if table.index.name else table)
    omissions = []
    if callable(getattr(comparison, "omissions", None)):
        for source in comparison.sources:
            table = comparison.omissions(source)
            if isinstance(table, pd.DataFrame):
                omissions.append({"source": source, "count": int(len(table)), "table": table_data(table)})
    return coverage, omissions


def _claims_grid(comparison) -> dict | None:
    """Claims that two or more outlets report: one row per claim, each outlet's sentences in its column."""
    import pandas as pd

    claims = getattr(comparison, "claims", None)
    claims = claims() if callable(claims) else claims
    if not isinstance(claims, pd.DataFrame) or not {"claim_id", "source", "sent_id", "text"} <= set(claims.columns):
        return None
    rows = []
    for claim_id, members in claims.groupby("claim_id", sort=False):
        outlets = list(dict.fromkeys(members["source"]))
        if len(outlets) < 2:
            continue
        cells = {source: [{"sent_id": int(r.sent_id), "text": r.text}
                          for r in members[members["source"] == source].sort_values("sent_id").itertuples()]
                 for source in outlets}
        rows.append({"claim_id": claim_id.item() if hasattr(claim_id, "item") else claim_id,
                     "n_outlets": len(outlets), "cells": cells,
                     "first": min((comparison.sources.index(s), c[0]["sent_id"]) for s, c in cells.items())})
    rows.sort(key=lambda r: (-r["n_outlets"], r["first"]))
    for row in rows:
        del row["first"]
    return {"sources": list(comparison.sources), "rows": rows}


def _rows_by_pair(table) -> dict:
    """A kept table's rows (as dicts, in order) by the alignment row they belong to."""
    if table is None or not len(table):
        return {}
    out: dict = {}
    for row in table.to_dict("records"):
        out.setdefault(row["pair"], []).append(row)
    return out


def comparison_data(comparison, *, max_pairs: int | None = None, top: int = 5) -> dict:
    """Plain-dict view of a :class:`~narrativediff.Comparison`.

    Parameters
    ----------
    comparison : Comparison
    max_pairs : int, optional
        At most this many rows per outlet pair (the most differently framed are kept); ``None``
        keeps every aligned pair.
    top : int, default 5
        How many of the most differently framed pairs (over all outlet pairs) to list first.

    Returns
    -------
    dict
        ``sources``, ``model``, ``method``, ``threshold``, ``counts``, ``summary`` (rows per
        outlet), ``top`` (pair dicts), ``groups`` (one per outlet pair that has aligned sentences:
        ``source_a``, ``source_b``, ``n_pairs``, ``mean_score``, ``max_score``, ``pairs`` in the
        left outlet's sentence order, ``hidden``), ``unaligned`` (per outlet, its sentences),
        ``removed``, ``coverage`` (table or ``None``), ``omissions`` (per outlet, a table) and
        ``claims`` (``None`` without a claims table; else ``sources`` and ``rows``: one per claim two
        or more outlets report, widest first, with ``claim_id``, ``n_outlets`` and ``cells``, each
        outlet's sentences in that claim).
        Pair dicts are those of :func:`pair_data` plus ``sent_a``, ``sent_b``, ``similarity``.
    """
    from narrativediff.framing import COMPONENTS

    alignment = comparison.alignment
    components = [c for c in COMPONENTS if c in alignment.columns]
    diff_of = _rows_by_pair(getattr(comparison, "word_diff", None))
    evidence_of = _rows_by_pair(getattr(comparison, "evidence", None))

    def pair_of(label, row, swapped: bool = False) -> dict:
        extra = {}
        if "probability" in row and row["probability"] == row["probability"]:  # NaN: not calibrated
            extra["probability"] = float(row["probability"])
        data = _pair_dict(
            source_a=row["source_a"], source_b=row["source_b"], text_a=row["text_a"], text_b=row["text_b"],
            score=row.get("framing_score", 0.0), components={c: float(row[c]) for c in components},
            explanation=row.get("explanation", ""), diff=diff_of.get(label, ()),
            evidence=evidence_of.get(label, ()), swapped=swapped,
        )
        data.update(sent_a=int(row["sent_a"]), sent_b=int(row["sent_b"]), similarity=float(row["similarity"]),
                    **extra)
        return data

    sources = comparison.sources
    groups = []
    for i, source_a in enumerate(sources):
        for source_b in sources[i + 1:]:
            pairs, swapped = comparison._oriented_pairs(source_a, source_b)  # index labels key the tables
            if not len(pairs):
                continue
            pairs = pairs.assign(_swapped=swapped)
            shown = pairs
            if max_pairs is not None and len(pairs) > max_pairs:
                shown = pairs.sort_values("framing_score", ascending=False, kind="stable").head(max_pairs)
            shown = shown.sort_values(["sent_a", "sent_b"], kind="stable")
            groups.append({
                "source_a": source_a,
                "source_b": source_b,
                "n_pairs": int(len(pairs)),
                "mean_score": float(pairs["framing_score"].mean()),
                "max_score": float(pairs["framing_score"].max()),
                "mean_similarity": float(pairs["similarity"].mean()),
                "pairs": [pair_of(label, row, bool(row["_swapped"])) for label, row in shown.iterrows()],
                "hidden": int(len(pairs) - len(shown)),
            })
    top_rows = comparison.differences(top)
    summary = comparison.summary()
    unaligned = comparison.unaligned
    coverage, omissions = _optional_tables(comparison)
    return {
        "sources": list(sources),
        "model": comparison.model,
        "method": comparison.method,
        "threshold": float(comparison.threshold),
        "counts": {
            "sentences": int(len(comparison.sentences)),
            "removed": int(len(comparison.removed)),
            "pairs": int(len(alignment)),
            "unaligned": int(len(unaligned)),
        },
        "summary": [{"source": source, **{k: int(v) for k, v in row.items()}} for source, row in summary.iterrows()],
        "top": [pair_of(label, row) for label, row in top_rows.iterrows()],
        "groups": groups,
        "unaligned": [
            {"source": source, "sentences": [
                {"sent_id": int(r.sent_id), "text": r.text, "is_title": bool(r.is_title)}
                for r in unaligned[unaligned["source"] == source].itertuples()
            ]}
            for source in sources
        ],
        "removed": table_data(comparison.removed[["source", "line_no", "reason", "text"]]),
        "coverage": coverage,
        "omissions": omissions,
        "claims": _claims_grid(comparison),
    }


# --------------------------------------------------------------------------- step 2: dicts -> HTML


def _escape(value: Any):
    """Every value a template prints: HTML-escaped (quotes too), unless it is already markup."""
    from markupsafe import Markup

    return value if hasattr(value, "__html__") else Markup(html.escape(str(value), quote=True))


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


@functools.lru_cache(maxsize=None)
def _environment():
    """The Jinja2 environment of the view's and the report's templates (``faces/templates``)."""
    import jinja2

    # finalize escapes with html.escape (the one escape the faces use, ``&quot;`` for quotes);
    # autoescape stays on, so nothing a template prints can skip escaping.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("narrativediff.faces", "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clamp"] = _clamp
    env.filters["repr"] = repr
    return env


def _template(name: str):
    return _environment().get_template(name)


def _css(name: str) -> str:
    """A stylesheet of ``faces/templates``."""
    return (importlib.resources.files("narrativediff.faces") / "templates" / name).read_text(encoding="utf-8")


def _scoped_css(root_id: str):
    """view.css with every rule scoped to the container ``#root_id`` (its selectors begin ``ROOT``)."""
    from markupsafe import Markup

    return Markup(_css("view.css").replace("ROOT", f"#{root_id}"))


def render_pair(pair: dict, *, row_class: str = "nd-pair", show_sources: bool = False) -> str:
    """One ``<tr>``: left sentence, right sentence, framing score with component bars and explanation."""
    module = _template("macros.html.j2").module
    return str(module.pair_row(pair, row_class, show_sources))


def render(data: dict, *, open_groups: int = 1, root_id: str | None = None) -> str:
    """Render :func:`comparison_data`'s dict as one HTML fragment with its own scoped ``<style>``.

    The markup is the template ``faces/templates/view.html.j2`` (pieces in ``macros.html.j2``), the
    styles ``view.css``.

    Parameters
    ----------
    data : dict
        From :func:`comparison_data`; groups may carry ``image`` (a base64 PNG) and the dict may
        carry ``images`` (a list of ``{"title", "image"}``), which the report adds.
    open_groups : int, default 1
        How many outlet-pair sections start unfolded.
    root_id : str, optional
        The container's id; a fresh unique one by default.

    Returns
    -------
    str
        ``<div class="nd-view" id="...">`` holding the view; every text HTML-escaped.
    """
    root_id = root_id or f"nd-view-{uuid.uuid4().hex[:12]}"
    return _template("view.html.j2").render(data=data, root_id=root_id, css=_scoped_css(root_id),
                                            open_groups=open_groups, tags=TAGS)


def comparison_html(comparison, *, max_pairs: int | None = None, open_groups: int = 1) -> str:
    """The notebook view of a Comparison as one HTML fragment (what ``_repr_html_`` shows).

    Parameters
    ----------
    comparison : Comparison
    max_pairs : int, optional
        Rows per outlet pair; ``None`` shows every aligned pair.
    open_groups : int, default 1
        How many outlet-pair sections start unfolded.

    Examples
    --------
    >>> import narrativediff as nd
    >>> c = nd.compare(nd.load_articles(nd.example_path()))  # doctest: +SKIP
    >>> from narrativediff.faces.display import comparison_html
    >>> html = comparison_html(c)  # doctest: +SKIP
    """
    return render(comparison_data(comparison, max_pairs=max_pairs), open_groups=open_groups)
