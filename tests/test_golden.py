"""Golden test: every table of the seed comparison, and the report's text, as they were.

A refactoring must leave what the library computes exactly as it was. This test pins every table
of the seed comparison (numbers to 1e-6, text by digest, so no seed text is copied into the
repository) and the text content of the HTML report and the notebook view. A change that is meant to
move results regenerates the file on purpose::

    ND_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and says why in its commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ND_UPDATE_GOLDEN") == "1"
DECIMALS = 6


def _digest(values) -> str:
    joined = "\x1f".join("<NA>" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                         for v in values)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _column(series: pd.Series) -> dict:
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        values = series.astype(float).round(DECIMALS)
        return {"kind": "number", "values": [None if np.isnan(v) else float(v) for v in values]}
    return {"kind": "text", "n": int(len(series)), "sha256": _digest(series.tolist())}


def _table(frame) -> dict:
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    frame = frame.reset_index() if frame.index.name or isinstance(frame.index, pd.MultiIndex) else frame
    return {"columns": [str(c) for c in frame.columns], "rows": int(len(frame)),
            "data": {str(c): _column(frame[c]) for c in frame.columns}}


class _Text(HTMLParser):
    """The visible text of an HTML document, without style and script contents."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    text = " ".join(" ".join(parser.parts).split())
    # The run's own timings and date are not behaviour.
    text = re.sub(r"\d+(?:\.\d+)? ?s\b", "<s>", text)
    return re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?: ?UTC)?", "<date>", text)


def _snapshot(comparison) -> dict:
    tables = {
        "sentences": comparison.sentences,
        "removed": comparison.removed,
        "alignment": comparison.alignment,
        "unaligned": comparison.unaligned,
        "claims": comparison.claims,
        "coverage": comparison.coverage,
        "near_duplicates": comparison.near_duplicates,
        "groups": comparison.groups,
        "summary": comparison.summary(),
        "differences": comparison.differences(),
    }
    for source in comparison.sources:
        tables[f"omissions[{source}]"] = comparison.omissions(source)
        tables[f"unique_claims[{source}]"] = comparison.unique_claims(source)
    snapshot = {"tables": {name: _table(frame) for name, frame in tables.items()}}
    report = _visible_text(comparison.to_html(plots=False))
    view = _visible_text(comparison._repr_html_())
    snapshot["text"] = {
        "report": {"chars": len(report), "sha256": _digest([report])},
        "notebook": {"chars": len(view), "sha256": _digest([view])},
        "repr": {"chars": len(repr(comparison)), "sha256": _digest([repr(comparison)])},
    }
    return snapshot


def _compare_column(name: str, column: str, got: dict, want: dict) -> list[str]:
    if got["kind"] != want["kind"]:
        return [f"{name}.{column}: kind {got['kind']} != {want['kind']}"]
    if got["kind"] == "text":
        return [] if got == want else [f"{name}.{column}: text differs ({got['n']} vs {want['n']} values)"]
    a = np.array([np.nan if v is None else v for v in got["values"]], dtype=float)
    b = np.array([np.nan if v is None else v for v in want["values"]], dtype=float)
    if a.shape != b.shape:
        return [f"{name}.{column}: {a.size} values, golden has {b.size}"]
    close = np.isclose(a, b, atol=2 * 10 ** -DECIMALS, rtol=0, equal_nan=True)
    if close.all():
        return []
    k = int(np.flatnonzero(~close)[0])
    return [f"{name}.{column}: {int((~close).sum())} values differ, first at row {k}: {a[k]} vs {b[k]}"]


@pytest.mark.parametrize("name", ["seeds", "example"])
def test_comparison_matches_golden(name, request):
    """The seed articles and the bundled example give the tables they gave before."""
    snapshot = _snapshot(request.getfixturevalue(f"{name}_comparison"))
    GOLDEN = GOLDEN_DIR / f"{name}.json"
    if UPDATE or not GOLDEN.exists():
        if not UPDATE:
            pytest.fail(f"{GOLDEN} is missing; run with ND_UPDATE_GOLDEN=1 to write it")
        GOLDEN.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("golden file written")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    problems = []
    for name, want in golden["tables"].items():
        got = snapshot["tables"].get(name)
        if got is None:
            problems.append(f"table {name} is gone")
            continue
        if got["columns"] != want["columns"]:
            problems.append(f"{name}: columns {got['columns']} != {want['columns']}")
            continue
        if got["rows"] != want["rows"]:
            problems.append(f"{name}: {got['rows']} rows, golden has {want['rows']}")
            continue
        for column in want["columns"]:
            problems += _compare_column(name, column, got["data"][column], want["data"][column])
    problems += [f"table {name} is new" for name in snapshot["tables"] if name not in golden["tables"]]
    for face, want in golden["text"].items():
        if snapshot["text"][face] != want:
            problems.append(f"the {face}'s text changed ({snapshot['text'][face]['chars']} chars, "
                            f"golden {want['chars']})")
    assert not problems, "\n".join(problems)
