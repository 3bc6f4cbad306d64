"""Scaling: time and peak memory of each compare() stage from 2 to 50 outlets and 10 to 200 sentences each.

Articles are built from real news sentences: BASIL (``<data_dir>/basil/basil_dev_sentences.jsonl``),
one paragraph per sentence. Events are taken in a seeded random order and each event's sentences
are dealt round-robin to the outlets, so every outlet covers the same events in different
sentences (as outlets do) and each outlet's sentences keep their events' order. Only the first
``MAX_DISTINCT`` BASIL sentences of that order are used: a grid cell that needs more sentences
than that (50 outlets x 200) deals them again to other outlets, so some outlets share sentences
word for word, as wire copy does.

Embedding is linear in the number of distinct sentences and would dominate the run on two cores,
so each distinct sentence is embedded once, up front, into one warm :class:`EmbeddingCache` shared
by every cell; that up-front encode gives the measured encode rate, and the cold embedding time of
a cell is reported as ``distinct sentences / encode rate`` beside the measured (cached) stages.

Memory: the resident set size (RSS, ``VmRSS`` in ``/proc/self/status``) is sampled every few
milliseconds by a thread while compare() runs; each stage's peak is the highest sample inside its
time window (from ``Comparison.timings``) minus the RSS just before the call. The whole call's peak
is ``VmHWM`` after resetting it (``/proc/self/clear_refs``). Both need Linux; elsewhere memory is
left out. Growth exponents are least-squares slopes of log time on log sentences, per stage, with a
bootstrap interval over grid cells.
"""

from __future__ import annotations

import gc
import statistics
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np

from training.datasets import basil_sentences

NAME = "scaling"
# The stages are read from Comparison.timings, in the order compare() ran them.
FULL_GRID = ([(outlets, 50) for outlets in (2, 5, 10, 20, 50)]
             + [(5, per_outlet) for per_outlet in (10, 25, 100, 200)]
             + [(20, 100), (50, 200)])
QUICK_GRID = [(2, 4), (3, 4), (2, 8)]
MAX_DISTINCT = 2500
QUICK_MAX_DISTINCT = 60
REPEAT_BELOW = 500  # cells with fewer sentences are timed three times (median), the rest once
SAMPLE_INTERVAL = 0.005
_STATUS = Path("/proc/self/status")


# --- memory ------------------------------------------------------------------------------------

def _status_kb(field: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class _Sampler:
    """Samples memory in a background thread while compare() runs.

    ``samples`` holds ``(perf_counter, VmRSS kB, traced peak bytes)``; when tracemalloc is tracing,
    each sample reads the peak of traced allocations since the previous sample and resets it, so the
    samples inside a stage's time window give that stage's peak.
    """

    def __init__(self, interval: float = SAMPLE_INTERVAL):
        self.interval = interval
        self.samples: list[tuple[float, int | None, int | None]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self):
        traced = None
        if tracemalloc.is_tracing():
            traced = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
        self.samples.append((time.perf_counter(), _status_kb("VmRSS"), traced))

    def _loop(self):
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        if tracemalloc.is_tracing():
            tracemalloc.reset_peak()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def peak_between(self, start: float, end: float, column: int) -> int | None:
        """Highest sample of ``column`` (1 = RSS kB, 2 = traced bytes) covering ``[start, end]``."""
        inside = [row[column] for row in self.samples
                  if start <= row[0] <= end + self.interval and row[column] is not None]
        if not inside:  # a stage shorter than the interval: the first sample after it began
            inside = [row[column] for row in self.samples if row[0] >= start and row[column] is not None][:1]
        return max(inside) if inside else None


# --- articles ----------------------------------------------------------------------------------

def _events(sentences) -> list[list[tuple[int, str]]]:
    """BASIL's sentences grouped by event in file order, each as ``(position, text)``."""
    events: dict[str, list[tuple[int, str]]] = {}
    for uuid, raw in zip(sentences["triplet_uuid"], sentences["text"]):
        text = " ".join(str(raw or "").split())
        if text:
            key = str(uuid)
            events.setdefault(key, []).append((len(events.get(key, [])), text))
    return list(events.values())


def _pool(events, *, max_distinct: int, seed: int) -> list[list[tuple[int, int, str]]]:
    """Events in a seeded order, each as ``(event_rank, position, text)`` in a seeded order, capped."""
    rng = np.random.default_rng(seed)
    pool, seen, total = [], set(), 0
    for rank, index in enumerate(rng.permutation(len(events))):
        items = []
        for position in rng.permutation(len(events[index])):
            text = events[index][position][1]
            if text not in seen and total < max_distinct:
                seen.add(text)
                items.append((rank, int(position), text))
                total += 1
        if items:
            pool.append(items)
        if total >= max_distinct:
            break
    return pool


def _articles(pool, outlets: int, per_outlet: int) -> dict[str, str]:
    """Deal the pool's sentences round-robin to ``outlets`` outlets until each has ``per_outlet``."""
    distinct = sum(len(items) for items in pool)
    per_outlet = min(per_outlet, distinct)
    taken: list[list[tuple[int, int, str]]] = [[] for _ in range(outlets)]
    held: list[set[str]] = [set() for _ in range(outlets)]
    turn = 0
    while any(len(t) < per_outlet for t in taken):
        for items in pool:
            for item in items:
                for attempt in range(outlets):
                    outlet = (turn + attempt) % outlets
                    if len(taken[outlet]) < per_outlet and item[2] not in held[outlet]:
                        taken[outlet].append(item)
                        held[outlet].add(item[2])
                        turn = outlet + 1
                        break
                if all(len(t) >= per_outlet for t in taken):
                    break
            if all(len(t) >= per_outlet for t in taken):
                break
        turn += 1  # the next pass hands each sentence to a different outlet
    width = len(str(outlets))
    return {f"outlet_{j + 1:0{width}d}": "\n".join(text for _, _, text in sorted(items))
            for j, items in enumerate(taken)}


def _segmented_texts(articles: dict[str, str]) -> list[str]:
    from narrativediff.text.clean import clean_lines
    from narrativediff.text.segment import segment_lines

    return [sentence.text for text in articles.values() for sentence in segment_lines(clean_lines(text))]


# --- measurement -------------------------------------------------------------------------------

def _measure_cell(articles, encoder, cache, *, repeats: int) -> dict:
    """Time ``repeats`` untraced calls (RSS peak from the first), then one call under tracemalloc."""
    import narrativediff as nd

    timings_runs = []
    memory = {}
    comparison = None
    for repeat in range(repeats):
        gc.collect()
        baseline = _status_kb("VmRSS")
        peak_reset = _reset_peak()
        misses_before = cache.misses
        started = time.perf_counter()
        comparison = nd.compare(articles, model=encoder, cache=cache)
        finished = time.perf_counter()
        timings_runs.append(dict(comparison.timings, total=finished - started,
                                 cache_misses=cache.misses - misses_before))
        if repeat == 0 and baseline is not None:
            hwm = _status_kb("VmHWM") if peak_reset else None
            memory["rss_peak_mb"] = round(hwm / 1024, 1) if hwm else None
            memory["rss_above_start_mb"] = round((hwm - baseline) / 1024, 1) if hwm else None
    if "reused" in comparison.timings:
        raise RuntimeError("compare() returned a kept result; the scaling cells need every stage recomputed.")
    stages = list(comparison.timings)
    seconds = {key: statistics.median(run[key] for run in timings_runs) for key in (*stages, "total")}

    del comparison
    gc.collect()
    tracemalloc.start()
    try:
        start_bytes = tracemalloc.get_traced_memory()[0]
        with _Sampler() as sampler:
            started = time.perf_counter()
            comparison = nd.compare(articles, model=encoder, cache=cache)
        edge = started
        peaks = []
        for stage in stages:
            end = edge + comparison.timings[stage]
            peak = sampler.peak_between(edge, end, 2)
            memory[f"{stage}_alloc_mb"] = None if peak is None else round(max(peak - start_bytes, 0) / 2**20, 2)
            peaks.append(peak or 0)
            edge = end
        memory["alloc_peak_mb"] = round(max(max(peaks) - start_bytes, 0) / 2**20, 2)
    finally:
        tracemalloc.stop()
    return {"seconds": seconds, "memory": memory, "comparison": comparison, "stages": stages,
            "cache_misses": sum(run["cache_misses"] for run in timings_runs)}


def _slope(x, y) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 2 or np.ptp(x) == 0:
        return float("nan")
    return float(np.polyfit(x, y, 1)[0])


def _fit(cells, key: str, *, seed: int) -> dict | None:
    from ..stats import bootstrap_ci

    points = [(c["sentences"], c[key]) for c in cells if c.get(key) and c[key] > 0]
    if len(points) < 2:
        return None
    x = np.log([p[0] for p in points])
    y = np.log([p[1] for p in points])
    value = _slope(x, y)
    low, high = bootstrap_ci(_slope, x, y, n=1000, seed=seed)
    return {"value": round(value, 3), "ci": [round(low, 3), round(high, 3)], "n": len(points)}


def _fit_by_axis(cells, key: str) -> dict | None:
    points = [c for c in cells if c.get(key) and c[key] > 0]
    outlets = np.log([c["outlets"] for c in points]) if points else np.array([])
    per = np.log([c["sentences_per_outlet"] for c in points]) if points else np.array([])
    if len(points) < 3 or np.ptp(outlets) == 0 or np.ptp(per) == 0:
        return None
    design = np.column_stack([np.ones(len(points)), outlets, per])
    coef, *_ = np.linalg.lstsq(design, np.log([c[key] for c in points]), rcond=None)
    return {"outlets": round(float(coef[1]), 3), "sentences_per_outlet": round(float(coef[2]), 3)}


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """Time and measure memory of every stage over a grid of outlets x sentences per outlet."""
    from narrativediff.embed import EmbeddingCache, embed_texts, get_encoder
    events = _events(basil_sentences(data_dir))
    grid = QUICK_GRID if quick else FULL_GRID
    pool = _pool(events, max_distinct=QUICK_MAX_DISTINCT if quick else MAX_DISTINCT, seed=seed)
    cell_articles = [(outlets, per, _articles(pool, outlets, per)) for outlets, per in grid]

    encoder = get_encoder()
    encoder.encode(["A warm-up sentence."])
    distinct = list(dict.fromkeys(t for *_, articles in cell_articles for t in _segmented_texts(articles)))
    try:  # keep embeddings, never whole results: every timed call must run every stage
        cache = EmbeddingCache(max_results=0)
    except TypeError:  # a narrativediff that keeps no results
        cache = EmbeddingCache()
    gc.collect()
    baseline = _status_kb("VmRSS")
    peak_reset = _reset_peak()
    started = time.perf_counter()
    embed_texts(distinct, encoder, cache=cache, words=True)  # with the word vectors framing reads
    encode_seconds = time.perf_counter() - started
    # The relation model also embeds each sentence's content view and content words: embed them up
    # front too, so that no cell pays for the model and every stage beyond it is measured alone.
    from narrativediff.align.relation import PairIndex

    PairIndex.from_texts(distinct, encoder, cache=cache)
    hwm = _status_kb("VmHWM") if peak_reset else None
    encode_rate = len(distinct) / encode_seconds

    cells = []
    for outlets, per, articles in cell_articles:
        texts = _segmented_texts(articles)
        n_sentences = len(texts)
        measured = _measure_cell(articles, encoder, cache, repeats=3 if (not quick and n_sentences < REPEAT_BELOW) else 1)
        seconds, memory = measured["seconds"], measured["memory"]
        cells.append({
            "outlets": outlets,
            "sentences_per_outlet": per,
            "sentences": n_sentences,
            "distinct_sentences": len(set(texts)),
            "aligned_pairs": len(measured["comparison"].alignment),
            **{stage: round(seconds[stage], 6) for stage in measured["stages"]},
            "embed_cold_estimated": round(len(set(texts)) / encode_rate, 3),
            "total": round(seconds["total"], 6),
            **memory,
            "cache_misses": measured["cache_misses"],
            "stages": measured["stages"],
        })
        del measured

    stages = list(dict.fromkeys(stage for cell in cells for stage in cell["stages"]))
    for cell in cells:
        del cell["stages"]
    exponents = {stage: _fit(cells, stage, seed=seed) for stage in (*stages, "total")}
    by_axis = {stage: _fit_by_axis(cells, stage) for stage in (*stages, "total")}
    largest = max(cells, key=lambda c: c["sentences"])
    memory_exponent = _fit(cells, "alloc_peak_mb", seed=seed)
    notes = [
        f"Grid (outlets x sentences per outlet): {', '.join(f'{o}x{p}' for o, p in grid)}; "
        f"{len(distinct)} distinct sentences from BASIL (at most {QUICK_MAX_DISTINCT if quick else MAX_DISTINCT}), "
        "one paragraph per sentence; "
        + ("each cell timed once." if quick else f"cells under {REPEAT_BELOW} sentences timed 3 times (median), the others once."),
        f"Embedding: every distinct sentence encoded once up front ({len(distinct)} in {encode_seconds:.1f} s, "
        f"{encode_rate:.1f} sentences/s); in the cells 'embed' is the cached lookup and 'embed_cold_estimated' "
        "= distinct sentences / that rate (linear by construction). 'total' excludes the cold embedding.",
        "Memory per stage ('<stage>_alloc_mb', 'alloc_peak_mb'): peak of the allocations tracemalloc sees "
        "(Python objects, numpy and pandas buffers) above those alive at the start of the call, from one extra "
        f"call under tracemalloc sampled every {SAMPLE_INTERVAL * 1000:.0f} ms (the timed calls run without it). "
        "'rss_peak_mb' is the process's peak resident memory during a timed call (VmHWM, model and warm cache "
        "included); 'rss_above_start_mb' is its rise over the call, which stays small where the allocator "
        "reuses memory freed earlier.",
        "Exponents: least-squares slope of log seconds on log sentences over the cells (1 = linear, 2 = "
        "quadratic), bootstrap 95% interval over cells; 'by axis' fits log seconds on log outlets and "
        "log sentences per outlet together. Alignment compares every pair of outlets, so it grows with "
        "outlets squared at a fixed article length.",
    ]
    misses = sum(c["cache_misses"] for c in cells)
    if misses:
        notes.append(f"{misses} sentences were not in the warm cache and were embedded inside their cell.")
    return {
        "name": NAME,
        "description": "Time and peak memory per stage of compare() from 2 to 50 outlets and 10 to 200 sentences per outlet.",
        "metrics": {
            "growth_exponent_vs_sentences": exponents,
            "growth_exponent_by_axis": by_axis,
            "memory_growth_exponent": memory_exponent,
            "encode_rate_sentences_per_second": round(encode_rate, 1),
            "encode_peak_rss_mb": round(hwm / 1024, 1) if hwm else None,
            "encode_peak_above_start_mb": round((hwm - baseline) / 1024, 1) if hwm and baseline else None,
            "largest_cell": {
                "grid_cell": f"{largest['outlets']}x{largest['sentences_per_outlet']}",
                "sentences": largest["sentences"], "aligned_pairs": largest["aligned_pairs"],
                "total_seconds": largest["total"], "embed_cold_estimated_seconds": largest["embed_cold_estimated"],
                "rss_peak_mb": largest.get("rss_peak_mb"), "rss_above_start_mb": largest.get("rss_above_start_mb"),
            },
            "cells": cells,
        },
        "baselines": {},
        "published": {},
        "notes": notes,
    }


def figures(result: dict, out_dir: Path) -> list[Path]:
    """Draw ``scaling.png``: seconds per stage and peak memory against sentences, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = sorted(result["metrics"]["cells"], key=lambda c: c["sentences"])
    exponents = result["metrics"]["growth_exponent_vs_sentences"]
    x = np.array([c["sentences"] for c in cells], float)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    stages = [stage for stage in exponents if stage != "total"]
    markers = "osd^vpx*"
    for stage, marker in zip((*stages, "embed_cold_estimated"), markers):
        y = np.array([c.get(stage) or np.nan for c in cells], float)
        fit = exponents.get(stage)
        label = stage + (f" (slope {fit['value']:.2f})" if fit else "")
        left.loglog(x, y, marker=marker, linestyle="-" if stage != "embed_cold_estimated" else "--", label=label)
    left.set_xlabel("sentences in the comparison (all outlets)")
    left.set_ylabel("seconds")
    left.set_title("time per stage (embed = warm cache)")
    left.legend(fontsize=8)
    left.grid(True, which="both", alpha=0.3)
    for stage, marker in zip(stages, markers):
        y = np.array([c.get(f"{stage}_alloc_mb") for c in cells], float)
        right.loglog(x, np.maximum(y, 0.01), marker=marker, label=stage)
    right.set_xlabel("sentences in the comparison (all outlets)")
    right.set_ylabel("peak allocations above start of call (MB)")
    right.set_title("peak memory per stage (tracemalloc; floor 0.01 MB)")
    right.legend(fontsize=8)
    right.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "scaling.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return [path]
