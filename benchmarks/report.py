"""Results JSON -> docs/benchmarks.md (and the suites' figures), and the table printed in the terminal.

Rendering is generic: any suite's ``metrics``, ``baselines`` and ``published`` dicts are flattened
into rows; a dict holding ``value`` (and optionally ``ci``, ``goal``, ``passed``, ``unit``, ``n``)
becomes one cell such as ``0.812 [0.790, 0.830]``; nested dicts become dotted names; lists of
dicts become their own tables. A suite module may define ``figures(result, out_dir) -> list[Path]``
to draw figures from its own result, which are linked from the page.

Regenerate the page from a results file without running anything::

    python -m benchmarks.report benchmarks/results/latest.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "benchmarks"

__all__ = ["format_number", "format_value", "flatten", "text_table", "markdown", "write_docs"]

_CI_KEYS = ("ci", "ci95", "ci_95")
_VALUE_EXTRAS_SHOWN_INLINE = {"value", "ci", "ci95", "ci_95", "ci_low", "ci_high", "unit", "goal", "passed"}


def format_number(value) -> str:
    """Three decimals for ordinary numbers, fewer digits for large ones, significant digits for tiny ones."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        if value == 0:
            return "0"
        magnitude = abs(value)
        if magnitude >= 1000:
            return f"{value:,.0f}"
        if magnitude >= 100:
            return f"{value:.1f}"
        if magnitude >= 0.01:
            return f"{value:.3f}"
        return f"{value:.2g}"
    return str(value)


def _ci_of(cell: dict):
    for key in _CI_KEYS:
        ci = cell.get(key)
        if isinstance(ci, (list, tuple)) and len(ci) == 2:
            return ci
    if "ci_low" in cell and "ci_high" in cell:
        return [cell["ci_low"], cell["ci_high"]]
    return None


def _is_value_cell(value) -> bool:
    return isinstance(value, dict) and "value" in value and not isinstance(value["value"], dict)


def format_value(value) -> tuple[str, str]:
    """``(value text, detail text)`` of one metric: a number, a value cell, a string or a list."""
    if _is_value_cell(value):
        text = format_value(value["value"])[0]
        ci = _ci_of(value)
        if ci is not None:
            text += f" [{format_number(ci[0])}, {format_number(ci[1])}]"
        if value.get("unit"):
            text += f" {value['unit']}"
        details = []
        if "goal" in value:
            verdict = {True: "pass", False: "FAIL"}.get(value.get("passed"), "?")
            details.append(f"goal {value['goal']}: **{verdict}**")
        for key, extra in value.items():
            if key in _VALUE_EXTRAS_SHOWN_INLINE or isinstance(extra, (dict, list)):
                continue
            details.append(f"{key}={format_number(extra)}")
        return text, ", ".join(details)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item)[0] for item in value), ""
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True), ""
    return format_number(value), ""


def flatten(section, prefix: str = "") -> tuple[list[tuple[str, str, str]], list[tuple[str, list[dict]]]]:
    """Rows ``(name, value, detail)`` and record tables ``(name, rows)`` of a metrics-like dict."""
    rows: list[tuple[str, str, str]] = []
    tables: list[tuple[str, list[dict]]] = []
    if not isinstance(section, dict):
        return [(prefix or "value", *format_value(section))], tables
    for key, value in section.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and not _is_value_cell(value):
            sub_rows, sub_tables = flatten(value, name)
            rows += sub_rows
            tables += sub_tables
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            tables.append((name, value))
        else:
            rows.append((name, *format_value(value)))
    return rows, tables


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in rows]
    return lines


def _records_table(records: list[dict]) -> list[str]:
    headers = list(dict.fromkeys(key for record in records for key in record))
    rows = [[format_value(record.get(key))[0] if key in record else "" for key in headers] for record in records]
    return _markdown_table(headers, rows)


def _section(title: str, content) -> list[str]:
    rows, tables = flatten(content)
    if not rows and not tables:
        return []
    lines = [f"**{title}**", ""]
    if rows:
        with_detail = any(detail for _, _, detail in rows)
        headers = ["name", "value"] + (["detail"] if with_detail else [])
        lines += _markdown_table(headers, [[n, v, d] if with_detail else [n, v] for n, v, d in rows])
        lines.append("")
    for name, records in tables:
        lines += [f"*{title.lower()}: {name}*", ""] + _records_table(records) + [""]
    return lines


def text_table(document: dict) -> str:
    """The plain-text summary printed at the end of a run."""
    width = max([len(name) for name in document["suites"]] + [5])
    lines = [f"{'suite':<{width}}  {'status':<8} {'seconds':>8}", "-" * (width + 20)]
    for name, record in document["suites"].items():
        lines.append(f"{name:<{width}}  {record['status']:<8} {record.get('seconds', 0):>8.1f}")
        if record["status"] == "ok":
            rows, tables = flatten(record["result"].get("metrics", {}))
            for metric, value, detail in rows:
                lines.append(f"{'':<{width}}    {metric}: {value}" + (f"  ({detail.replace('**', '')})" if detail else ""))
            for metric, records in tables:
                lines.append(f"{'':<{width}}    {metric}: {len(records)} rows (see the JSON / docs)")
        else:
            lines.append(f"{'':<{width}}    {record.get('reason') or record.get('error')}")
    return "\n".join(lines)


def markdown(document: dict, figures: dict[str, list[str]] | None = None) -> str:
    """The page docs/benchmarks.md for a results document."""
    figures = figures or {}
    env = document.get("environment", {})
    versions = env.get("versions", {})
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `python -m benchmarks` (benchmarks/report.py) from docs/benchmarks.json. "
        "Do not edit by hand: rerun the benchmark. -->",
        "",
        "Every number on this page is the output of `python -m benchmarks` (see "
        "[benchmarks/README.md](../benchmarks/README.md)); the raw results are in "
        "[benchmarks.json](benchmarks.json). Intervals in brackets are bootstrap 95% confidence intervals.",
        "",
        f"- date: {document.get('date')}",
        f"- command: `{document.get('command')}`" + ("  (quick configuration)" if document.get("quick") else ""),
        f"- seed: {document.get('seed')}",
        f"- git commit: {env.get('git_commit')}" + (" (with uncommitted changes)" if env.get("git_dirty") else ""),
        f"- platform: {env.get('platform')}, {env.get('cpu_count')} CPUs, torch threads {env.get('torch_threads')}",
        f"- python {env.get('python')}; " + ", ".join(f"{k} {v}" for k, v in versions.items() if v),
        f"- model: {env.get('model')}",
        "",
        "## Summary",
        "",
    ]
    summary = []
    for name, record in document["suites"].items():
        status = record["status"]
        why = record.get("reason") or record.get("error") or ""
        origin = record.get("from_run")
        if origin:
            why = (why + " " if why else "") + f"(kept from the run of {origin.get('date')}, commit {str(origin.get('git_commit'))[:10]})"
        summary.append([f"[{name}](#{name.lower()})", status, f"{float(record.get('seconds') or 0):.1f}", why])
    lines += _markdown_table(["suite", "status", "seconds", "note"], summary) + [""]
    for name, record in document["suites"].items():
        lines += [f"## {name}", ""]
        if record.get("from_run"):
            origin = record["from_run"]
            lines += [f"_Measured in the run of {origin.get('date')} (commit {origin.get('git_commit')}), "
                      "not rerun in the latest one._", ""]
        if record["status"] == "skipped":
            lines += [f"Skipped: {record.get('reason')}", ""]
            continue
        if record["status"] == "failed":
            lines += [f"Failed: `{record.get('error')}`", "", "```", (record.get("traceback") or "").rstrip(), "```", ""]
            continue
        result = record["result"]
        if result.get("description"):
            lines += [str(result["description"]), ""]
        for title, key in (("Metrics", "metrics"), ("Baselines", "baselines"), ("Published", "published")):
            lines += _section(title, result.get(key) or {})
        for figure in figures.get(name, []):
            lines += [f"![{name}]({figure})", ""]
        if result.get("notes"):
            lines += ["**Notes**", ""] + [f"- {note}" for note in result["notes"]] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _draw_figures(document: dict, docs_dir: Path) -> dict[str, list[str]]:
    from . import registry

    drawn: dict[str, list[str]] = {}
    for name, record in document["suites"].items():
        if record["status"] != "ok":
            continue
        try:
            module = registry.module_of(name)
        except Exception:
            continue
        draw = getattr(module, "figures", None)
        if not callable(draw):
            continue
        try:
            paths = draw(record["result"], docs_dir)
        except Exception as error:  # a figure that cannot be drawn must not lose the page
            notes = record["result"].setdefault("notes", [])
            note = f"figure not drawn: {type(error).__name__}: {error}"
            if note not in notes:  # a kept record is drawn again on every run: say it once
                notes.append(note)
            continue
        drawn[name] = [Path(path).relative_to(docs_dir).as_posix() if Path(path).is_absolute() else str(path)
                       for path in paths]
    return drawn


def write_docs(document: dict, docs_dir: Path, *, merge: bool = False) -> list[Path]:
    """Write ``benchmarks.json``, ``benchmarks.md`` and the figures into ``docs_dir``.

    With ``merge``, suites of the previous ``benchmarks.json`` that this run did not include are kept,
    marked with the date and commit of the run that measured them.
    """
    from .run import to_jsonable

    docs_dir = Path(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    json_path = docs_dir / "benchmarks.json"
    document = json.loads(json.dumps(to_jsonable(document)))
    if merge and json_path.exists():
        previous = json.loads(json_path.read_text(encoding="utf-8"))
        origin = {"date": previous.get("date"), "git_commit": previous.get("environment", {}).get("git_commit"),
                  "quick": previous.get("quick")}
        kept = {}
        for name, record in previous.get("suites", {}).items():
            if name not in document["suites"]:
                kept[name] = {**record, "from_run": record.get("from_run") or origin}
        document["suites"] = {**document["suites"], **kept}
    figures = _draw_figures(document, docs_dir)
    json_path.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    md_path = docs_dir / "benchmarks.md"
    md_path.write_text(markdown(document, figures), encoding="utf-8")
    return [md_path, json_path] + [docs_dir / figure for names in figures.values() for figure in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report",
                                     description="Regenerate docs/benchmarks.md from a results JSON.")
    parser.add_argument("results", type=Path, nargs="?", default=Path(__file__).resolve().parents[1] / "docs" / "benchmarks.json")
    parser.add_argument("--docs-dir", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = parser.parse_args(argv)
    document = json.loads(args.results.read_text(encoding="utf-8"))
    for path in write_docs(document, args.docs_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
