"""Notebook view of a Comparison: results to plain dicts, then dicts to scoped, escaped HTML.

Two steps, as in spaCy's displaCy: :func:`comparison_data` turns a :class:`~narrativediff.Comparison`
into plain dicts and lists (testable without HTML), and :func:`render` turns those into an HTML
fragment (testable without a model). Every piece of article text is HTML-escaped in the second step;
the CSS applies only inside one container whose id is unique per rendering, so it cannot leak into
the rest of a notebook. The fragment uses no JavaScript: sections fold with ``<details>``.

>>> import narrativediff as nd
>>> from narrativediff.faces import display
>>> r = nd.score_pair("Police said rioters attacked <the> port.", "Police said protesters attacked <the> port.")
>>> [(s["text"], s["tag"]) for s in display.pair_data(r)["segments_a"]]
[('Police said ', None), ('rioters', 'replace'), (' attacked <the> port.', None)]
>>> "&lt;the&gt;" in display.render_pair(display.pair_data(r))
True
"""

from __future__ import annotations

import html
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


def pair_data(result, **extra) -> dict:
    """Plain-dict view of one scored pair (a :class:`~narrativediff.FramingResult`).

    Parameters
    ----------
    result : FramingResult
        From :func:`narrativediff.score_pair`.
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
    from narrativediff.framing import tokenize

    tokens = {"a": tokenize(result.text_a), "b": tokenize(result.text_b)}
    changes: dict[str, list] = {"a": [], "b": []}
    for op in result.opcodes:
        if op.tag == "equal":
            continue
        for side, lo, hi in (("a", op.i1, op.i2), ("b", op.j1, op.j2)):
            if hi > lo:
                toks = tokens[side]
                changes[side].append((toks[lo].start, toks[hi - 1].end, op.tag))
    evidence: dict[str, list] = {"a": [], "b": []}
    by_component: dict[str, list[str]] = {}
    for ev in result.evidence:
        label = f"{ev.component.replace('_', ' ')}: {ev.why}"
        if ev.end - ev.start <= INLINE_EVIDENCE_CHARS:
            evidence.setdefault(ev.side, []).append((ev.start, ev.end, label))
        quoted = ev.text if len(ev.text) <= 50 else ev.text[:49] + "\u2026"
        by_component.setdefault(ev.component, []).append(f"{ev.side}: \u201c{quoted}\u201d ({ev.why})")
    components = extra.pop("components", result.components)
    data = {
        "source_a": result.source_a,
        "source_b": result.source_b,
        "text_a": result.text_a,
        "text_b": result.text_b,
        "score": float(extra.pop("score", result.score)),
        "components": [
            {"name": name, "value": float(value), "evidence": by_component.get(name, [])}
            for name, value in components.items()
        ],
        "explanation": result.explanation,
        "segments_a": _segments(result.text_a, changes["a"], evidence["a"]),
        "segments_b": _segments(result.text_b, changes["b"], evidence["b"]),
    }
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
    from narrativediff.framing import COMPONENTS, score_pair

    alignment = comparison.alignment
    components = [c for c in COMPONENTS if c in alignment.columns]

    def pair_of(row) -> dict:
        result = score_pair(row["text_a"], row["text_b"], source_a=row["source_a"], source_b=row["source_b"])
        extra = {}
        if "framing_score" in row:
            extra["score"] = float(row["framing_score"])
        if components:
            extra["components"] = {c: float(row[c]) for c in components}
        if "probability" in row and row["probability"] == row["probability"]:  # NaN: not calibrated
            extra["probability"] = float(row["probability"])
        return pair_data(result, sent_a=int(row["sent_a"]), sent_b=int(row["sent_b"]),
                         similarity=float(row["similarity"]), **extra)

    sources = comparison.sources
    groups = []
    for i, source_a in enumerate(sources):
        for source_b in sources[i + 1:]:
            pairs = comparison.pairs(source_a, source_b)
            if not len(pairs):
                continue
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
                "pairs": [pair_of(row) for _, row in shown.iterrows()],
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
        "top": [pair_of(row) for _, row in top_rows.iterrows()],
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

_CSS = """
ROOT { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 13px; line-height: 1.45;
  color: inherit; max-width: 1400px; }
ROOT * { box-sizing: border-box; }
ROOT table, ROOT thead, ROOT tbody, ROOT tr, ROOT th, ROOT td { border: none; background: transparent;
  color: inherit; font-size: inherit; }
ROOT tbody tr:hover { background: rgba(128,128,128,.06); }
ROOT .nd-head { font-weight: 600; font-size: 15px; margin: 0 0 2px 0; }
ROOT .nd-meta { opacity: .75; margin-bottom: 8px; }
ROOT h3.nd-h { font-size: 14px; margin: 14px 0 4px 0; }
ROOT details { margin: 4px 0; border: 1px solid rgba(128,128,128,.35); border-radius: 4px; padding: 2px 8px; }
ROOT details > summary { cursor: pointer; padding: 3px 0; font-weight: 600; }
ROOT details > summary .nd-sub { font-weight: 400; opacity: .75; }
ROOT table.nd-table { border-collapse: collapse; width: 100%; margin: 4px 0 8px 0; table-layout: fixed; }
ROOT table.nd-table th, ROOT table.nd-table td { border-top: 1px solid rgba(128,128,128,.25);
  padding: 4px 6px; vertical-align: top; text-align: left; word-wrap: break-word; }
ROOT table.nd-table th { font-weight: 600; border-top: none; }
ROOT table.nd-small { width: auto; table-layout: auto; }
ROOT table.nd-small td, ROOT table.nd-small th { padding: 2px 10px 2px 0; }
ROOT table.nd-table td.nd-num, ROOT table.nd-table th.nd-num { text-align: right; font-variant-numeric: tabular-nums; }
ROOT col.nd-col-sent { width: 37%; }
ROOT col.nd-col-framing { width: 26%; }
ROOT .nd-ref { font-size: 11px; opacity: .6; margin-right: 4px; font-variant-numeric: tabular-nums; }
ROOT .nd-src { font-size: 11px; font-weight: 600; opacity: .8; display: block; }
ROOT .nd-replace { background: rgba(255, 176, 0, .38); border-radius: 2px; }
ROOT .nd-delete { background: rgba(230, 60, 60, .28); border-radius: 2px; text-decoration: underline dashed rgba(200,40,40,.9); }
ROOT .nd-insert { background: rgba(40, 170, 80, .30); border-radius: 2px; text-decoration: underline rgba(30,140,60,.9); }
ROOT .nd-ev { font-weight: 700; border-bottom: 2px dotted currentColor; }
ROOT .nd-legend span.nd-key { padding: 0 4px; margin-right: 10px; }
ROOT .nd-score { font-weight: 600; }
ROOT .nd-score .nd-sim { font-weight: 400; opacity: .7; }
ROOT .nd-bars { display: grid; grid-template-columns: 80px 70px 34px; gap: 1px 6px; align-items: center;
  margin: 3px 0; font-size: 11px; }
ROOT .nd-bar { display: block; height: 8px; background: rgba(128,128,128,.2); border-radius: 2px; overflow: hidden; }
ROOT .nd-bar > span { display: block; height: 100%; background: #4c78a8; }
ROOT .nd-bar.nd-total > span { background: #e45756; }
ROOT .nd-expl { font-size: 12px; opacity: .85; }
ROOT .nd-heat { display: inline-block; min-width: 36px; text-align: right; padding: 0 3px; border-radius: 2px; }
ROOT ul.nd-list { margin: 2px 0 6px 0; padding-left: 18px; }
ROOT .nd-more { opacity: .7; font-style: italic; }
ROOT .nd-fallback { display: none; }
ROOT table.nd-grid td { font-size: 12px; }
ROOT table.nd-table td.nd-absent { opacity: .4; text-align: center; vertical-align: middle; }
ROOT details.nd-omitted > summary .nd-src { display: inline; }
ROOT img.nd-plot { max-width: 100%; height: auto; display: block; margin: 6px 0; }
ROOT .nd-plots { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
ROOT .nd-plots figure { margin: 0; flex: 1 1 420px; max-width: 100%; }
ROOT .nd-plots figcaption { font-weight: 600; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _css(root_id: str) -> str:
    return "<style>" + _CSS.replace("ROOT", f"#{root_id}") + "</style>"


def _segments_html(segments: list[dict]) -> str:
    parts = []
    for seg in segments:
        text = _e(seg["text"])
        classes = [f"nd-{seg['tag']}"] if seg["tag"] else []
        title = ""
        if seg["evidence"]:
            classes.append("nd-ev")
            title = f' title="{_e("; ".join(seg["evidence"]))}"'
        parts.append(f'<span class="{" ".join(classes)}"{title}>{text}</span>' if classes else text)
    return "".join(parts)


def _bar(name: str, value: float, title: str = "", total: bool = False) -> str:
    width = max(0.0, min(1.0, value)) * 100
    cls = "nd-bar nd-total" if total else "nd-bar"
    return (f'<span title="{_e(title)}">{_e(name)}</span>'
            f'<span class="{cls}"><span style="width:{width:.0f}%"></span></span>'
            f'<span class="nd-num">{value:.2f}</span>')


def _framing_html(pair: dict) -> str:
    head = f'<div class="nd-score">framing {pair["score"]:.2f}'
    if "similarity" in pair:
        head += f' <span class="nd-sim">\u00b7 similarity {pair["similarity"]:.2f}'
        if "probability" in pair:
            head += f' \u00b7 P(same claim) {pair["probability"]:.2f}'
        head += "</span>"
    head += "</div>"
    bars = "".join(
        _bar(c["name"].replace("_", " "), c["value"], "; ".join(c["evidence"]) or "no evidence")
        for c in pair["components"]
    )
    return f'{head}<div class="nd-bars">{bars}</div><div class="nd-expl">{_e(pair["explanation"])}</div>'


def render_pair(pair: dict, *, row_class: str = "nd-pair", show_sources: bool = False) -> str:
    """One ``<tr>``: left sentence, right sentence, framing score with component bars and explanation."""
    cells = []
    for side in ("a", "b"):
        source = f'<span class="nd-src">{_e(pair["source_" + side])}</span>' if show_sources else ""
        ref = f'<span class="nd-ref">[{_e(pair["sent_" + side])}]</span>' if "sent_" + side in pair else ""
        cells.append(f'<td class="nd-sent">{source}{ref}{_segments_html(pair["segments_" + side])}</td>')
    return (f'<tr class="{_e(row_class)}" data-score="{pair["score"]:.3f}">{"".join(cells)}'
            f'<td class="nd-framing">{_framing_html(pair)}</td></tr>')


def _pairs_table(pairs: list[dict], left: str, right: str, *, row_class: str, show_sources: bool) -> str:
    rows = "".join(render_pair(p, row_class=row_class, show_sources=show_sources) for p in pairs)
    return ('<table class="nd-table"><colgroup><col class="nd-col-sent"><col class="nd-col-sent">'
            '<col class="nd-col-framing"></colgroup>'
            f'<thead><tr><th>{_e(left)}</th><th>{_e(right)}</th><th>framing</th></tr></thead>'
            f'<tbody>{rows}</tbody></table>')


def _table_html(table: dict, *, small: bool = True) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in table["columns"])
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in table["rows"])
    more = f'<div class="nd-more">\u2026 {table["more"]} more rows</div>' if table.get("more") else ""
    cls = "nd-table nd-small" if small else "nd-table"
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'


def _heat(value: float) -> str:
    return f'<span class="nd-heat" style="background: rgba(228,87,86,{0.08 + 0.6 * max(0.0, min(1.0, value)):.2f})">{value:.2f}</span>'


def _img(image: str, alt: str) -> str:
    return f'<img class="nd-plot" alt="{_e(alt)}" src="data:image/png;base64,{_e(image)}">'


def render(data: dict, *, open_groups: int = 1, root_id: str | None = None) -> str:
    """Render :func:`comparison_data`'s dict as one HTML fragment with its own scoped ``<style>``.

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
    counts = data["counts"]
    out = [f'<div class="nd-view" id="{_e(root_id)}">', _css(root_id)]
    # Shown only where the <style> was stripped (an untrusted notebook, a static renderer), as scikit-learn does.
    out.append('<div class="nd-fallback">Without its styles this view cannot highlight the changed words: '
               "in Jupyter, rerun the cell or trust the notebook; or use comparison.to_html(path).</div>")
    out.append(f'<div class="nd-head">Comparison of {len(data["sources"])} outlets: '
               f'{_e(", ".join(data["sources"]))}</div>')
    out.append(f'<div class="nd-meta">model {_e(data["model"])} \u00b7 method {_e(data["method"])} \u00b7 '
               f'threshold {data["threshold"]:.2f} \u00b7 {counts["sentences"]} sentences \u00b7 '
               f'{counts["pairs"]} aligned pairs \u00b7 {counts["unaligned"]} unaligned \u00b7 '
               f'{counts["removed"]} lines removed by cleaning</div>')

    summary_rows = "".join(
        f'<tr><td>{_e(r["source"])}</td><td class="nd-num">{r["sentences"]}</td>'
        f'<td class="nd-num">{r["aligned"]}</td><td class="nd-num">{r["unaligned"]}</td>'
        f'<td class="nd-num">{r["removed_lines"]}</td></tr>'
        for r in data["summary"]
    )
    out.append('<table class="nd-table nd-small nd-summary"><thead><tr><th>outlet</th><th class="nd-num">sentences</th>'
               '<th class="nd-num">aligned</th><th class="nd-num">unaligned</th><th class="nd-num">lines removed</th>'
               f'</tr></thead><tbody>{summary_rows}</tbody></table>')
    legend = "".join(f'<span class="nd-key nd-{tag}">{_e(label)}</span>' for tag, label in TAGS.items())
    out.append(f'<div class="nd-legend">{legend}<span class="nd-key nd-ev">framing evidence (hover)</span></div>')

    if data["top"]:
        out.append('<details class="nd-top" open><summary>Most differently framed pairs '
                   f'<span class="nd-sub">(top {len(data["top"])} of {counts["pairs"]})</span></summary>')
        out.append(_pairs_table(data["top"], "left", "right", row_class="nd-top-pair", show_sources=True))
        out.append("</details>")

    if data.get("images"):
        figures = "".join(f'<figure><figcaption>{_e(image["title"])}</figcaption>{_img(image["image"], image["title"])}'
                          "</figure>" for image in data["images"])
        out.append(f'<details class="nd-overview" open><summary>Plots</summary><div class="nd-plots">{figures}</div>'
                   "</details>")

    grid = data.get("claims")
    if grid and grid["rows"]:
        width = f"{88 / len(grid['sources']):.1f}%"
        cols = '<col style="width:12%">' + "".join(f'<col style="width:{width}">' for _ in grid["sources"])
        head = "<th>claim</th>" + "".join(f"<th>{_e(source)}</th>" for source in grid["sources"])
        body = []
        for row in grid["rows"]:
            cells = []
            for source in grid["sources"]:
                sentences = row["cells"].get(source)
                if sentences:
                    cells.append("<td>" + " ".join(f'<span class="nd-ref">[{s["sent_id"]}]</span>{_e(s["text"])}'
                                                   for s in sentences) + "</td>")
                else:
                    cells.append('<td class="nd-absent">—</td>')
            body.append(f'<tr class="nd-claim"><td class="nd-ref">#{_e(row["claim_id"])} · {row["n_outlets"]} '
                        f'outlets</td>{"".join(cells)}</tr>')
        out.append(f'<details class="nd-claims" open><summary>Claims across outlets <span class="nd-sub">('
                   f'{len(grid["rows"])} claims reported by two or more outlets; — = not reported)</span>'
                   f'</summary><table class="nd-table nd-grid"><colgroup>{cols}</colgroup><thead><tr>{head}</tr>'
                   f'</thead><tbody>{"".join(body)}</tbody></table></details>')

    out.append('<h3 class="nd-h">Aligned sentences, by outlet pair</h3>')
    if not data["groups"]:
        out.append('<div class="nd-more">No sentence of one outlet was aligned with one of another.</div>')
    for k, group in enumerate(data["groups"]):
        opened = " open" if k < open_groups else ""
        out.append(
            f'<details class="nd-group"{opened}><summary>{_e(group["source_a"])} \u2194 {_e(group["source_b"])} '
            f'<span class="nd-sub">{group["n_pairs"]} pairs \u00b7 mean framing {_heat(group["mean_score"])} '
            f'\u00b7 max {_heat(group["max_score"])} \u00b7 mean similarity {group["mean_similarity"]:.2f}</span>'
            "</summary>"
        )
        if group.get("image"):
            out.append(_img(group["image"], f'similarity of {group["source_a"]} and {group["source_b"]} sentences'))
        out.append(_pairs_table(group["pairs"], group["source_a"], group["source_b"], row_class="nd-pair",
                                show_sources=False))
        if group["hidden"]:
            out.append(f'<div class="nd-more">\u2026 {group["hidden"]} less differently framed pairs not shown; '
                       f'see comparison.pairs({_e(repr(group["source_a"]))}, {_e(repr(group["source_b"]))}) '
                       "or the HTML report.</div>")
        out.append("</details>")

    n_unaligned = sum(len(u["sentences"]) for u in data["unaligned"])
    out.append(f'<details class="nd-unaligned" open><summary>Sentences no other outlet reports '
               f'<span class="nd-sub">({n_unaligned} unaligned)</span></summary>')
    for block in data["unaligned"]:
        if not block["sentences"]:
            continue
        items = "".join(
            f'<li class="nd-unaligned-sent"><span class="nd-ref">[{s["sent_id"]}]</span>{_e(s["text"])}</li>'
            for s in block["sentences"]
        )
        out.append(f'<div><span class="nd-src">{_e(block["source"])}</span><ul class="nd-list">{items}</ul></div>')
    out.append("</details>")

    if data.get("coverage") is not None:
        out.append('<details class="nd-coverage"><summary>Coverage: which outlet reports which claim</summary>'
                   f'{_table_html(data["coverage"])}</details>')
    if data.get("omissions"):
        total = sum(o["count"] for o in data["omissions"])
        out.append(f'<details class="nd-omissions" open><summary>Omissions <span class="nd-sub">({total} claims '
                   "reported elsewhere but missing from an outlet)</span></summary>")
        for block in data["omissions"]:
            if block["count"]:
                opened = " open" if block["count"] <= 8 else ""
                out.append(f'<details class="nd-omitted"{opened}><summary><span class="nd-src">missing from '
                           f'{_e(block["source"])}</span> <span class="nd-sub">{block["count"]} claims</span>'
                           f'</summary>{_table_html(block["table"])}</details>')
        out.append("</details>")

    if data["removed"]["rows"]:
        out.append(f'<details class="nd-removed"><summary>Removed by cleaning <span class="nd-sub">'
                   f'({len(data["removed"]["rows"])} lines)</span></summary>{_table_html(data["removed"])}</details>')
    out.append("</div>")
    return "\n".join(out)


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
