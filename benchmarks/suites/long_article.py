"""Cost of one long article: time and memory of compare() as one article grows from 0.1 to 2 MB.

One outlet's article is built from unique real news sentences (BASIL dev, then MRPC, BABE and
STS-B sentences, four to a paragraph, so cleaning removes nothing as a repeat); a second outlet has a
short article of 30 paragraphs. Each size runs in a fresh Python process, so that its peak
resident memory is its own. The headline numbers are the growth exponents of time and of peak
memory against the article's length (a least-squares slope on log-log axes): 1.0 is linear.

Run ``python -m benchmarks.suites.long_article`` to print the JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from training.datasets import babe_rows, basil_sentences, mrpc_pairs, stsb_genre

NAME = "long_article"
SIZES_MB = (0.1, 0.25, 0.5, 1.0, 2.0)
QUICK_SIZES_MB = (0.05, 0.1, 0.2, 0.4)
SENTENCES_PER_PARAGRAPH = 4

_CHILD = r"""
import json, resource, sys, time
import narrativediff as nd
spec = json.loads(sys.stdin.read())
encoder = nd.embed.get_encoder() if spec["real_model"] else None
if encoder is not None:
    encoder.encode(["warm up"])
started = time.perf_counter()
comparison = nd.compare({"long": spec["long"], "short": spec["short"]}, model=encoder,
                        cache=nd.EmbeddingCache(max_results=0))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "timings": comparison.timings, "peak_mb": peak,
                  "n_sentences": int((comparison.sentences["source"] == "long").sum()),
                  "n_pairs": int(len(comparison.alignment))}))
"""


def _paragraphs(data_dir: Path) -> list[str]:
    """Unique news sentences, four to a paragraph, in a fixed order."""
    seen, sentences = set(), []
    pools = [basil_sentences(data_dir)["text"].tolist()]
    for split in ("train", "test"):
        pairs = mrpc_pairs(data_dir, split)
        pools.append(list(pairs["a"]) + list(pairs["b"]))
    pools.append([row["text"] for row in babe_rows(data_dir)])
    for genre in ("MSRpar", "headlines", "deft-news", "images"):
        stsb = stsb_genre(data_dir, "train", genre)
        pools.append(list(stsb["a"]) + list(stsb["b"]))
    for pool in pools:
        for text in pool:
            text = " ".join(str(text).split())
            if len(text) > 40 and text[-1] in ".!?" and text not in seen:
                seen.add(text)
                sentences.append(text)
    return [" ".join(sentences[k:k + SENTENCES_PER_PARAGRAPH])
            for k in range(0, len(sentences) - SENTENCES_PER_PARAGRAPH + 1, SENTENCES_PER_PARAGRAPH)]


def _article(paragraphs: list[str], start: int, n_bytes: int) -> str:
    out, size, k = [], 0, start
    while size < n_bytes:
        if k >= len(paragraphs):
            raise RuntimeError(f"only {len(paragraphs)} unique paragraphs; a {n_bytes / 1e6:.1f} MB article needs more")
        out.append(paragraphs[k])
        size += len(paragraphs[k].encode("utf-8")) + 1
        k += 1
    return "\n".join(out)


def _slope(x, y) -> float:
    return float(np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)[0])


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """Time and peak memory of compare() on one long article beside a short one, per size."""
    root = Path(__file__).resolve().parents[2]
    paragraphs = _paragraphs(Path(data_dir))
    short = "\n".join(paragraphs[:30])
    sizes = QUICK_SIZES_MB if quick else SIZES_MB
    rows = []
    for size in sizes:
        spec = {"long": _article(paragraphs, 30, int(size * 1e6)), "short": short, "real_model": True}
        done = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(spec), capture_output=True,
                              text=True, cwd=root,
                              env={**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
        if done.returncode:
            raise RuntimeError(f"the {size} MB run failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        beyond = result["seconds"] - result["timings"].get("embed", 0.0)
        rows.append({"megabytes": size, "sentences": result["n_sentences"], "aligned_pairs": result["n_pairs"],
                     "seconds_total": round(result["seconds"], 2),
                     "seconds_embed": round(result["timings"].get("embed", 0.0), 2),
                     "seconds_beyond_embed": round(beyond, 2),
                     **{f"seconds_{stage}": round(value, 2) for stage, value in result["timings"].items()
                        if stage != "embed"},
                     "peak_rss_mb": round(result["peak_mb"], 1)})
    mb = [row["megabytes"] for row in rows]
    stages = [key for key in rows[0] if key.startswith("seconds_") and key != "seconds_total"]
    exponents = {key.removeprefix("seconds_"): round(_slope(mb, [max(row[key], 1e-3) for row in rows]), 3)
                 for key in stages}
    memory_growth = [row["peak_rss_mb"] - rows[0]["peak_rss_mb"] for row in rows]
    return {
        "name": NAME,
        "metrics": {
            "time_growth_exponent": {"value": round(_slope(mb, [r["seconds_total"] for r in rows]), 3),
                                     "goal": "about 1 (linear)"},
            "time_growth_exponent_beyond_embed": round(_slope(mb, [max(r["seconds_beyond_embed"], 1e-3)
                                                                    for r in rows]), 3),
            "memory_growth_exponent": round(_slope(mb, [r["peak_rss_mb"] for r in rows]), 3),
            "stage_exponents": exponents,
            "largest_seconds": rows[-1]["seconds_total"],
            "largest_peak_rss_mb": rows[-1]["peak_rss_mb"],
            "peak_rss_mb_per_article_mb_above_smallest": round(
                memory_growth[-1] / max(mb[-1] - mb[0], 1e-9), 1),
            "sizes": rows,
        },
        "baselines": {},
        "published": {},
        "notes": [
            "one article of the given size (unique BASIL dev, MRPC, BABE and STS-B news sentences, four to a "
            "paragraph) beside a 30-paragraph article; the real default model; each size in a fresh process "
            "so its peak RSS (ru_maxrss) is its own; the model's own memory (about 300-600 MB) is in every row",
            "exponent = least-squares slope of log(seconds) or log(peak MB) on log(article MB); 1.0 is linear",
            f"machine: {os.cpu_count()} CPU cores, shared; one run per size",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
