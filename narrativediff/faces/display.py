"""Notebook view of a Comparison: results to plain dicts, then dicts to scoped, escaped HTML.

Two steps, as in spaCy's displaCy: :func:`comparison_data` turns a :class:`~narrativediff.Comparison`
into plain dicts and lists (testable without HTML), and :func:`render` turns those into an HTML
fragment (testable without a model). The first step reads the tables the comparison kept
(``alignment``, ``word_diff``, ``evidence``): nothing is scored or tokenized again. The second step
renders Jinja2 templates (``faces/templates/``) in which every printed value is HTML-escaped; the
CSS (``view.css``) applies only inside one container whose id is unique per rendering, so it cannot
leak into the rest of a notebook. The fragment uses no JavaScript: sections fold with ``<details>``,
and a checkbox turns the full word diff on with CSS alone. Only the words that carry framing evidence
are highlighted; each shows its reason on hover and on keyboard focus, and in print. A large
comparison is summarised (:data:`NOTEBOOK_LIMITS`): totals for every outlet pair, sections for the
outlet pairs with most same-claim pairs, and a note of what was left out.

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
    "relation_column",
    "REPR_MAX_PAIRS",
    "NOTEBOOK_LIMITS",
    "REPORT_LIMITS",
    "LARGE_PAIRS",
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

#: What the notebook view cuts a large comparison to (see :func:`comparison_data`): it stays a few
#: hundred kilobytes and renders in a second however many outlets there are; the tables hold the rest.
NOTEBOOK_LIMITS = {"groups": 10, "claims": 30, "outlets_per_claim": 8, "rows": 100, "wide": 12}

#: The HTML report's cuts: nothing of a comparison of a dozen outlets, a summary of one of hundreds.
REPORT_LIMITS = {"groups": 45, "claims": 300, "outlets_per_claim": 40, "rows": 300, "wide": 20}

#: Above this many aligned pairs the report shows :data:`REPR_MAX_PAIRS` pairs per outlet pair.
LARGE_PAIRS = 3000

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
    unmarked: dict[str, list[str]] = {}
    marked: dict[str, int] = {}
    for ev in evidence:
        side = flip[ev["side"]]
        label = f"{ev['component'].replace('_', ' ')}: {ev['why']}"
        quoted = ev["text"] if len(ev["text"]) <= 50 else ev["text"][:49] + "\u2026"
        line = f"{side}: \u201c{quoted}\u201d ({ev['why']})"
        if ev["end"] - ev["start"] <= INLINE_EVIDENCE_CHARS:
            marks[side].append((int(ev["start"]), int(ev["end"]), label))
            marked[ev["component"]] = marked.get(ev["component"], 0) + 1
        else:
            unmarked.setdefault(ev["component"], []).append(line)
        by_component.setdefault(ev["component"], []).append(line)
    return {
        "source_a": source_a,
        "source_b": source_b,
        "text_a": text_a,
        "text_b": text_b,
        "score": float(score),
        "components": [
            {"name": name, "value": float(value), "evidence": by_component.get(name, []),
             "unmarked": unmarked.get(name, []), "marked": marked.get(name, 0)}
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
        ``{"name", "value", "evidence", "unmarked", "marked"}``: every evidence line, the lines of
        spans too long to mark in the sentence, and how many spans are marked), ``explanation``, and ``segments_a`` / ``segments_b``:
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


def _optional_tables(comparison, max_rows: int | None = None, max_outlets: int | None = None) -> tuple[dict | None, list[dict]]:
    """Coverage and omissions, when the Comparison offers them (the claims stage adds them).

    With more than ``max_outlets`` outlets the coverage table lists each claim's outlets in one
    column instead of one column per outlet, and omissions are left to ``comparison.omissions``
    (each outlet's costs a pass over the claims: hundreds of outlets would take minutes).
    """
    import pandas as pd

    coverage = None
    if hasattr(comparison, "coverage"):
        table = comparison.coverage
        table = table() if callable(table) else table
        if isinstance(table, pd.DataFrame):
            table = table.reset_index() if table.index.name else table
            sources = [s for s in comparison.sources if s in table.columns]
            if max_outlets is not None and len(sources) > max_outlets and sources:
                reported = table[sources].astype(bool)
                names = [", ".join(str(s) for s, on in zip(sources, row) if on) for row in reported.to_numpy()]
                table = table.drop(columns=sources).assign(outlets=names)
            if "n_outlets" in table.columns:
                table = table.sort_values("n_outlets", ascending=False, kind="stable")
            coverage = table_data(table, max_rows=max_rows)
    omissions = []
    many = max_outlets is not None and len(comparison.sources) > max_outlets
    if callable(getattr(comparison, "omissions", None)) and not many:
        for source in comparison.sources:
            table = comparison.omissions(source)
            if isinstance(table, pd.DataFrame):
                omissions.append({"source": source, "count": int(len(table)), "table": table_data(table, max_rows=max_rows)})
    return coverage, omissions


def relation_column(alignment):
    """Each aligned pair's relation: the ``relation`` column where the alignment has one, else derived
    from the calibrated decision (``"same_claim"`` where ``same_claim`` holds, ``"related"`` otherwise)."""
    import pandas as pd

    if "relation" in alignment.columns:
        return alignment["relation"].astype(object).where(alignment["relation"].notna(), "related")
    from narrativediff.comparison import same_claim_mask

    return pd.Series(["same_claim" if v else "related" for v in same_claim_mask(alignment)],
                     index=alignment.index, dtype=object)


#: Relations in the order the views list them: what outlets share first.
RELATION_ORDER = ("same_claim", "overlap", "contradiction", "related")


def _relation_rank(relation) -> int:
    return RELATION_ORDER.index(relation) if relation in RELATION_ORDER else len(RELATION_ORDER)


def _sentence_info(sentences) -> dict:
    """``(source, sent_id) -> (is_quote, speaker)`` from the sentence table."""
    import pandas as pd

    quotes = sentences["is_quote"] if "is_quote" in sentences.columns else [False] * len(sentences)
    speakers = sentences["speaker"] if "speaker" in sentences.columns else [None] * len(sentences)
    return {(s, int(i)): (bool(q), None if sp is None or (not isinstance(sp, str) and pd.isna(sp)) or sp == "" else str(sp))
            for s, i, q, sp in zip(sentences["source"], sentences["sent_id"], quotes, speakers)}


def _rows_by_pair(table, labels=None) -> dict:
    """A kept table's rows (as dicts, in order) by the alignment row they belong to; only ``labels``'s."""
    if table is None or not len(table):
        return {}
    if labels is not None:
        table = table[table["pair"].isin(list(labels))]
    out: dict = {}
    for row in table.to_dict("records"):
        out.setdefault(row["pair"], []).append(row)
    return out


def _names(names, shown: int = 3) -> str:
    """``a, b, c`` or ``a, b, c and 4 more``: the outlets a reason is given against, kept short."""
    names = list(dict.fromkeys(str(n) for n in names))
    head = ", ".join(names[:shown])
    return head if len(names) <= shown else f"{head} and {len(names) - shown} more"


def _number(value) -> float | None:
    value = float(value)
    return None if value != value else value


def _claims_view(comparison, relations, info, *, max_claims=None, max_outlets=None) -> dict | None:
    """One row per claim two or more outlets report, each outlet's sentences side by side.

    The words marked in a sentence are the evidence spans (``Comparison.evidence``) of the aligned
    pairs that join it to a sentence of another outlet in the same claim: the words that make its
    framing differ from theirs, each with its reason and the outlets it differs from.
    """
    import numpy as np
    import pandas as pd

    claims = getattr(comparison, "claims", None)
    claims = claims() if callable(claims) else claims
    if not isinstance(claims, pd.DataFrame) or not {"claim_id", "source", "sent_id", "text"} <= set(claims.columns):
        return None
    sources = list(comparison.sources)
    order = {s: k for k, s in enumerate(sources)}
    n_outlets = claims.groupby("claim_id", sort=False)["source"].nunique()
    shared = n_outlets[n_outlets >= 2]
    if not len(shared):
        return {"sources": sources, "rows": [], "total": 0, "hidden": 0}
    members = claims[claims["claim_id"].isin(shared.index)]
    first = members.assign(_o=members["source"].map(order)).sort_values(["_o", "sent_id"], kind="stable")
    first = first.drop_duplicates("claim_id").set_index("claim_id")[["_o", "sent_id"]]
    ranking = pd.DataFrame({"n": shared}).join(first)
    ranking = ranking.sort_values(["n", "_o", "sent_id"], ascending=[False, True, True], kind="stable")
    shown_ids = list(ranking.index if max_claims is None else ranking.index[:max_claims])
    members = members[members["claim_id"].isin(shown_ids)]
    outlets_of = {claim: sorted(dict.fromkeys(part["source"]), key=order.get)
                  for claim, part in members.groupby("claim_id", sort=False)}
    if max_outlets is not None:
        # the marks compare the sentences shown side by side, so only the outlets shown take part
        keep = {(claim, source) for claim, names in outlets_of.items() for source in names[:max_outlets]}
        members = members[np.array([(c, s) in keep for c, s in zip(members["claim_id"], members["source"])], dtype=bool)]

    # the aligned pairs inside each shown claim, and their evidence on each side
    alignment = comparison.alignment
    claim_of = {(s, int(i)): c for s, i, c in zip(members["source"], members["sent_id"], members["claim_id"])}
    inside: dict = {}
    for label, sa, ia, sb, ib in zip(alignment.index, alignment["source_a"], alignment["sent_a"],
                                     alignment["source_b"], alignment["sent_b"]):
        ca, cb = claim_of.get((sa, int(ia))), claim_of.get((sb, int(ib)))
        if ca is not None and ca == cb and sa != sb:
            inside[label] = (ca, (sa, int(ia)), (sb, int(ib)))
    score_of = dict(zip(alignment.index, alignment["framing_score"]))
    relation_of = dict(zip(relations.index, relations))
    stats: dict = {}
    for label, (claim, _, _) in inside.items():
        entry = stats.setdefault(claim, {"scores": [], "relations": []})
        entry["scores"].append(score_of[label])
        entry["relations"].append(relation_of[label])
    marks: dict = {}
    components_of: dict = {}
    evidence = getattr(comparison, "evidence", None)
    if evidence is not None and len(evidence) and inside:
        for ev in evidence[evidence["pair"].isin(list(inside))].to_dict("records"):
            claim, key_a, key_b = inside[ev["pair"]]
            own, other = (key_a, key_b) if ev["side"] == "a" else (key_b, key_a)
            components_of.setdefault(claim, set()).add(ev["component"])
            spans = marks.setdefault(own, {})
            spans.setdefault((int(ev["start"]), int(ev["end"]), ev["component"], ev["why"]), []).append(other[0])

    rows = []
    members_of = dict(tuple(members.groupby("claim_id", sort=False))) if len(members) else {}
    for position, claim in enumerate(shown_ids):
        group = members_of[claim]
        outlets_here = sorted(dict.fromkeys(group["source"]), key=order.get)
        all_outlets = outlets_of[claim]
        cards = []
        kinds = set()
        for source in outlets_here:
            sentences = []
            for r in group[group["source"] == source].sort_values("sent_id").itertuples():
                key = (source, int(r.sent_id))
                is_quote, speaker = info.get(key, (False, None))
                kinds.add("quote" if is_quote else "narration")
                painted, notes = [], []
                for (start, end, component, why), partners in marks.get(key, {}).items():
                    label = f"{component.replace('_', ' ')}: {why} (vs {_names(partners)})"
                    (painted if end - start <= INLINE_EVIDENCE_CHARS else notes).append((start, end, label))
                sentences.append({
                    "sent_id": int(r.sent_id), "text": r.text, "is_quote": is_quote, "speaker": speaker,
                    "segments": _segments(r.text, [], painted), "notes": [n[2] for n in notes],
                })
            cards.append({"source": source, "sentences": sentences})
        hidden = len(all_outlets) - len(cards)
        entry = stats.get(claim, {"scores": [], "relations": []})
        scores = [v for v in (_number(x) for x in entry["scores"]) if v is not None]
        relation = min(entry["relations"], key=_relation_rank) if entry["relations"] else "same_claim"
        rows.append({
            "claim_id": claim.item() if hasattr(claim, "item") else claim,
            "n_outlets": int(shared[claim]), "outlets": cards, "hidden_outlets": hidden,
            "absent": [s for s in sources if s not in all_outlets] if len(sources) <= 8 else [],
            "outlet_index": [order[s] for s in all_outlets],
            "n_pairs": len(scores), "max_score": max(scores) if scores else None,
            "relation": relation, "components": sorted(components_of.get(claim, ())),
            "kind": "quote" if "quote" in kinds else "narration", "position": position,
        })
    return {"sources": sources, "rows": rows, "total": int(len(shared)), "hidden": int(len(shared) - len(rows))}


def comparison_data(comparison, *, max_pairs: int | None = None, top: int = 5, limits: dict | None = None) -> dict:
    """Plain-dict view of a :class:`~narrativediff.Comparison`.

    Parameters
    ----------
    comparison : Comparison
    max_pairs : int, optional
        At most this many rows per outlet pair: the pairs that report the same claim first, then
        the most differently framed; ``None`` keeps every aligned pair.
    top : int, default 5
        How many of the most differently framed pairs that report the same claim to list first,
        each sentence in one of them at most (:meth:`~narrativediff.Comparison.differences` with
        ``per_sentence=1``).
    limits : dict, optional
        What a large comparison is cut to (see :data:`NOTEBOOK_LIMITS`): ``groups`` (outlet pairs
        given a section, the ones with most same-claim pairs first), ``claims`` (claim rows),
        ``outlets_per_claim``, ``rows`` (rows of every other table) and ``wide`` (with more
        outlets than this, the coverage table names each claim's outlets in one column). Every
        cut says how many it left out. ``None``: nothing is cut but ``max_pairs``.

    Returns
    -------
    dict
        ``sources``, ``model``, ``method``, ``threshold``, ``counts``, ``summary`` (rows per outlet),
        ``reading`` (what each score means, how it was validated, what it misses, from
        :mod:`narrativediff.faces.reading`), ``relations`` (the relations present, with their
        meaning), ``components``, ``top`` (pair dicts), ``outlet_pairs`` (totals per outlet pair,
        a table), ``groups`` (one per outlet pair shown: ``source_a``, ``source_b``, ``n_pairs``,
        ``n_same_claim``, ``mean_score``, ``max_score``, ``mean_similarity``, ``pairs`` by relation
        then the left outlet's sentence order, ``hidden``), ``groups_hidden``, ``unaligned`` (per
        outlet, its sentences), ``unaligned_hidden``, ``removed``, ``coverage`` (table or ``None``),
        ``omissions`` (per outlet, a table) and ``claims`` (``None`` without a claims table; else
        ``sources``, ``total``, ``hidden`` and ``rows``: one per claim two or more outlets report,
        widest first, each with ``claim_id``, ``n_outlets``, ``outlets`` (cards of that outlet's
        sentences: ``segments`` marking the evidence words, ``is_quote``, ``speaker``), ``absent``,
        ``max_score``, ``relation``, ``components`` and ``kind``).
        Pair dicts are those of :func:`pair_data` plus ``sent_a``, ``sent_b``, ``similarity``,
        ``relation``, ``match``, ``quote_a``/``quote_b``, ``speaker_a``/``speaker_b``,
        ``evidence_components``, ``kind`` (``"quote"`` when either sentence is a direct quote,
        else ``"narration"``), ``outlet_index`` and ``probability`` where calibrated.
    """
    import numpy as np
    import pandas as pd

    from narrativediff.comparison import differences, same_claim_mask
    from narrativediff.faces import reading
    from narrativediff.framing import COMPONENTS

    limits = dict(limits or {})
    alignment = comparison.alignment
    sources = list(comparison.sources)
    order = {s: k for k, s in enumerate(sources)}
    components = [c for c in COMPONENTS if c in alignment.columns]
    relations = relation_column(alignment)
    same = same_claim_mask(alignment)
    info = _sentence_info(comparison.sentences)

    # every pair oriented the way the view shows it: the outlet given first on the left
    rank_a = alignment["source_a"].map(order).to_numpy()
    rank_b = alignment["source_b"].map(order).to_numpy()
    swapped = rank_a > rank_b
    frame = pd.DataFrame({
        "left": np.where(swapped, alignment["source_b"], alignment["source_a"]),
        "right": np.where(swapped, alignment["source_a"], alignment["source_b"]),
        "sent_left": np.where(swapped, alignment["sent_b"], alignment["sent_a"]),
        "sent_right": np.where(swapped, alignment["sent_a"], alignment["sent_b"]),
        "score": alignment["framing_score"].astype(float).to_numpy(),
        "similarity": alignment["similarity"].astype(float).to_numpy(),
        "same": same.to_numpy(), "relation_rank": [_relation_rank(r) for r in relations],
        "swapped": swapped,
    }, index=alignment.index)
    positions = frame.groupby(["left", "right"], sort=False).indices if len(frame) else {}
    totals_of = frame.assign(same_score=frame["score"].where(frame["same"])).groupby(
        ["left", "right"], sort=False).agg(n_pairs=("score", "size"), n_same_claim=("same", "sum"),
                                           mean_score=("score", "mean"), max_score=("score", "max"),
                                           mean_same_claim=("same_score", "mean"),
                                           mean_similarity=("similarity", "mean")) if len(frame) else None
    stats = []
    for row in (totals_of.reset_index().to_dict("records") if totals_of is not None else ()):
        left, right = row["left"], row["right"]
        stats.append({
            "source_a": left, "source_b": right, "n_pairs": int(row["n_pairs"]), "n_same_claim": int(row["n_same_claim"]),
            "mean_score": float(row["mean_score"]), "max_score": float(row["max_score"]),
            "mean_same_claim": _number(row["mean_same_claim"]), "mean_similarity": float(row["mean_similarity"]),
            "_where": positions[(left, right)], "_order": (order[left], order[right]),
        })
    by_rank = sorted(stats, key=lambda g: (-g["n_same_claim"], -(g["max_score"] if g["max_score"] == g["max_score"] else -1), g["_order"]))
    max_groups = limits.get("groups")
    if max_groups is not None and len(stats) > max_groups:
        shown_groups = by_rank[:max_groups]
    else:
        shown_groups = sorted(stats, key=lambda g: g["_order"])

    chosen: dict = {}
    for group in shown_groups:
        part = frame.iloc[group["_where"]]
        shown = part
        if max_pairs is not None and len(part) > max_pairs:
            shown = part.assign(_not_same=~part["same"]).sort_values(["_not_same", "score"], ascending=[True, False],
                                                                      kind="stable").head(max_pairs)
        shown = shown.sort_values(["relation_rank", "sent_left", "sent_right"], kind="stable")
        group["_labels"] = list(shown.index)
        chosen.update((label, bool(flag)) for label, flag in zip(shown.index, shown["swapped"]))
    top_rows = differences(alignment, top, per_sentence=1)
    labels = set(chosen) | set(top_rows.index)
    diff_of = _rows_by_pair(getattr(comparison, "word_diff", None), labels)
    evidence_of = _rows_by_pair(getattr(comparison, "evidence", None), labels)
    rows_of = alignment[alignment.index.isin(list(labels))].to_dict("index")

    def pair_of(label, swapped_: bool = False) -> dict:
        row = rows_of[label]
        extra = {}
        probability = row.get("p_same_claim", row.get("probability"))  # the column's new name, or its old one
        if probability is not None and probability == probability:  # NaN: not calibrated
            extra["probability"] = float(probability)
        a, b = ("b", "a") if swapped_ else ("a", "b")  # the sides as shown
        data = _pair_dict(
            source_a=row["source_" + a], source_b=row["source_" + b], text_a=row["text_" + a],
            text_b=row["text_" + b], score=row.get("framing_score", 0.0),
            components={c: float(row[c]) for c in components}, explanation=row.get("explanation", "") or "",
            diff=diff_of.get(label, ()), evidence=evidence_of.get(label, ()), swapped=swapped_,
        )
        sent_a, sent_b = row["sent_" + a], row["sent_" + b]
        quote_a, speaker_a = info.get((data["source_a"], int(sent_a)), (False, None))
        quote_b, speaker_b = info.get((data["source_b"], int(sent_b)), (False, None))
        data.update(sent_a=int(sent_a), sent_b=int(sent_b), similarity=float(row["similarity"]),
                    relation=relations.at[label], match=row.get("match"), quote_a=quote_a, quote_b=quote_b,
                    speaker_a=speaker_a, speaker_b=speaker_b,
                    evidence_components=sorted({ev["component"] for ev in evidence_of.get(label, ())}),
                    kind="quote" if quote_a or quote_b else "narration",
                    outlet_index=sorted({order[data["source_a"]], order[data["source_b"]]}), **extra)
        return data

    groups = []
    for group in shown_groups:
        groups.append({
            "source_a": group["source_a"], "source_b": group["source_b"], "n_pairs": group["n_pairs"],
            "n_same_claim": group["n_same_claim"], "mean_score": group["mean_score"],
            "max_score": group["max_score"], "mean_similarity": group["mean_similarity"],
            "pairs": [pair_of(label, chosen[label]) for label in group["_labels"]],
            "hidden": group["n_pairs"] - len(group["_labels"]),
        })
    max_rows = limits.get("rows")
    totals = pd.DataFrame([{
        "outlet pair": f"{g['source_a']} \u2194 {g['source_b']}", "pairs": g["n_pairs"],
        "same claim": g["n_same_claim"], "mean framing (same claim)": g["mean_same_claim"],
        "max framing": g["max_score"], "mean similarity": g["mean_similarity"],
    } for g in by_rank], columns=["outlet pair", "pairs", "same claim", "mean framing (same claim)", "max framing",
                                  "mean similarity"])
    summary = comparison.summary()
    unaligned = comparison.unaligned
    unaligned_shown = unaligned if max_rows is None else unaligned.head(max_rows)
    unaligned_by_source = dict(tuple(unaligned_shown.groupby("source", sort=False))) if len(unaligned_shown) else {}
    coverage, omissions = _optional_tables(comparison, max_rows, limits.get("wide"))
    relations_present = sorted(set(relations), key=_relation_rank)
    meaning = dict(reading.RELATIONS) if "relation" in alignment.columns else {
        "same_claim": "P(same claim) at or above the calibrated threshold",
        "related": "aligned by similarity, P(same claim) below the threshold",
    }
    return {
        "sources": sources,
        "model": comparison.model,
        "method": comparison.method,
        "threshold": float(comparison.threshold),
        "counts": {
            "sentences": int(len(comparison.sentences)),
            "removed": int(len(comparison.removed)),
            "pairs": int(len(alignment)),
            "same_claim": int(same.sum()),
            "unaligned": int(len(unaligned)),
            "outlet_pairs": int(len(stats)),
        },
        "summary": [{"source": source, **{k: int(v) for k, v in row.items()}} for source, row in summary.iterrows()],
        "reading": reading.score_entries(alignment.columns),
        "marks": dict(reading.MARKS),
        "relations": [{"name": r, "meaning": meaning.get(r, "")} for r in relations_present],
        "relation_source": "relation" if "relation" in alignment.columns else "same_claim",
        "components": components,
        "top": [pair_of(label) for label in top_rows.index],
        "outlet_pairs": table_data(totals, max_rows=max_rows),
        "groups": groups,
        "groups_hidden": int(len(stats) - len(groups)),
        "unaligned": [
            {"source": source, "sentences": [
                {"sent_id": int(r.sent_id), "text": r.text, "is_title": bool(r.is_title)}
                for r in unaligned_by_source[source].itertuples()
            ] if source in unaligned_by_source else []}
            for source in sources
        ],
        "unaligned_hidden": int(len(unaligned) - len(unaligned_shown)),
        "removed": table_data(comparison.removed[["source", "line_no", "reason", "text"]], max_rows=max_rows),
        "coverage": coverage,
        "omissions": omissions,
        "omissions_skipped": bool(limits.get("wide") is not None and len(sources) > limits["wide"]),
        "claims": _claims_view(comparison, relations, info, max_claims=limits.get("claims"),
                               max_outlets=limits.get("outlets_per_claim")),
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


def _with_defaults(data: dict) -> dict:
    """``data`` with the keys a dict made before they existed (or by hand) may lack."""
    from narrativediff.faces import reading

    filled = {"reading": [], "marks": dict(reading.MARKS), "relations": [], "relation_source": "same_claim",
              "outlet_pairs": {"columns": [], "rows": [], "more": 0}, "groups_hidden": 0, "unaligned_hidden": 0,
              "claims": None, **data}
    filled["counts"] = {"same_claim": 0, "outlet_pairs": len(filled.get("groups", [])), **data.get("counts", {})}
    return filled


def render_pair(pair: dict, *, row_class: str = "nd-pair", show_sources: bool = False) -> str:
    """One ``<tr>``: left sentence, right sentence, framing score with component bars and explanation."""
    module = _template("macros.html.j2").module
    return str(module.pair_row(pair, row_class, show_sources))


def render(data: dict, *, open_groups: int = 1, root_id: str | None = None, open_reading: bool = False) -> str:
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
    open_reading : bool, default False
        Start the "How to read this" section unfolded (the report does).
    root_id : str, optional
        The container's id; a fresh unique one by default.

    Returns
    -------
    str
        ``<div class="nd-view" id="...">`` holding the view; every text HTML-escaped.
    """
    root_id = root_id or f"nd-view-{uuid.uuid4().hex[:12]}"
    data = _with_defaults(data)
    return _template("view.html.j2").render(data=data, root_id=root_id, css=_scoped_css(root_id),
                                            open_groups=open_groups, tags=TAGS, open_reading=open_reading)


def comparison_html(comparison, *, max_pairs: int | None = None, open_groups: int = 1,
                    limits: dict | None = None) -> str:
    """The notebook view of a Comparison as one HTML fragment (what ``_repr_html_`` shows).

    Parameters
    ----------
    comparison : Comparison
    max_pairs : int, optional
        Rows per outlet pair; ``None`` shows every aligned pair.
    open_groups : int, default 1
        How many outlet-pair sections start unfolded.
    limits : dict, optional
        What a large comparison is cut to (:data:`NOTEBOOK_LIMITS` for ``_repr_html_``); ``None``
        cuts nothing.

    Examples
    --------
    >>> import narrativediff as nd
    >>> c = nd.compare(nd.load_articles(nd.example_path()))  # doctest: +SKIP
    >>> from narrativediff.faces.display import comparison_html
    >>> html = comparison_html(c)  # doctest: +SKIP
    """
    return render(comparison_data(comparison, max_pairs=max_pairs, limits=limits), open_groups=open_groups)
