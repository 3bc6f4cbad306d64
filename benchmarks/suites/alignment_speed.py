"""Speed: aligning and grouping 50 outlets of 40 sentences must cost under a third of embedding them.

Builds 50 outlets of 40 real news sentences each (drawn from MRPC train pairs, so outlets share
claims, sometimes word for word), embeds the 2,000 sentences with the default model (no cache), then
times :func:`narrativediff.align.pairs.align_sentences` (with calibrated probabilities) and
:func:`narrativediff.align.claims.group_claims` on the same machine in the same run. The headline is
``(align + claims) / embed``; the goal is below 1/3.

Run ``python -m benchmarks.suites.alignment_speed`` to print the JSON.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from training.datasets import mrpc_pairs

from .mrpc import embed

NAME = "alignment_speed"
N_OUTLETS = 50
N_SENTENCES = 40


def build_story(data_dir: Path, *, seed: int = 0, n_outlets: int = N_OUTLETS,
                n_sentences: int = N_SENTENCES) -> pd.DataFrame:
    """A sentence table of ``n_outlets`` outlets that retell overlapping MRPC pairs."""
    pairs = mrpc_pairs(data_dir, "train")
    rng = np.random.default_rng(seed)
    pool = rng.choice(len(pairs["y"]), size=min(len(pairs["y"]), n_outlets * n_sentences // 2), replace=False)
    rows = []
    for outlet in range(n_outlets):
        picked = rng.choice(pool, size=n_sentences, replace=False)
        sides = rng.integers(0, 2, size=n_sentences)
        for k, (pair, side) in enumerate(zip(picked, sides)):
            rows.append({"source": f"outlet{outlet:02d}", "sent_id": k,
                         "text": (pairs["a"] if side == 0 else pairs["b"])[pair]})
    return pd.DataFrame(rows)


def _timed(function, repeats):
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return float(np.median(times)), result


def run(*, data_dir: Path, quick: bool = False, seed: int = 0) -> dict:
    """Time embedding, alignment and claim grouping of 50 x 40 sentences in one run."""
    from narrativediff.align import pairs as align
    from narrativediff.align import claims
    from narrativediff.align.model import default_calibrator
    from narrativediff.embed import get_encoder

    table = build_story(Path(data_dir), seed=seed)
    encoder = get_encoder()
    encoder.encode(table["text"].tolist()[:64])  # warm up: first-call overheads are not embedding cost
    default_calibrator()
    texts = table["text"].tolist()
    if quick:
        # embedding cost is linear in the number of sentences: time a fifth with no cache, and take
        # the vectors themselves from the benchmark cache
        part = len(texts) // 5
        started = time.perf_counter()
        encoder.encode(texts[:part])
        t_embed = (time.perf_counter() - started) * len(texts) / part
        embeddings = embed(texts)
    else:
        started = time.perf_counter()
        embeddings = encoder.encode(texts)
        t_embed = time.perf_counter() - started

    repeats = 1 if quick else 3
    t_align, pairs = _timed(lambda: align.align_sentences(table, embeddings), repeats)
    t_claims, grouped = _timed(lambda: claims.group_claims(table, embeddings), repeats)
    t_near, _ = _timed(lambda: claims.near_duplicates(table, embeddings), repeats)
    t_mutual, _ = _timed(lambda: align.align_sentences(table, embeddings, method="mutual"), repeats)
    t_hungarian, _ = _timed(lambda: align.align_sentences(table, embeddings, method="hungarian"), repeats)
    ratio = (t_align + t_claims) / t_embed
    return {
        "name": NAME,
        "metrics": {
            "ratio_align_plus_claims_to_embed": round(ratio, 4),
            "goal_ratio_below": round(1 / 3, 4),
            "meets_goal": bool(ratio < 1 / 3),
            "seconds_embed": round(t_embed, 3),
            "seconds_align": round(t_align, 3),
            "seconds_claims": round(t_claims, 3),
            "seconds_near_duplicates": round(t_near, 3),
            "seconds_align_mutual": round(t_mutual, 3),
            "seconds_align_hungarian": round(t_hungarian, 3),
            "ratio_all_with_near_duplicates": round((t_align + t_claims + t_near) / t_embed, 4),
            "n_sentences": int(len(table)),
            "n_outlets": N_OUTLETS,
            "n_aligned_pairs": int(len(pairs)),
            "n_claims": int(grouped["claim_id"].nunique()),
        },
        "baselines": {"sentences_per_second_embed": round(len(table) / t_embed, 1)},
        "published": {},
        "notes": [
            f"{N_OUTLETS} outlets x {N_SENTENCES} sentences drawn from MRPC train pairs (seed {seed}); "
            "embedding with the default all-MiniLM-L6-v2 encoder, no cache, after a small warm-up",
            "quick: embedding time measured on a fifth of the sentences and scaled to all of them; "
            "full run: measured on all" if quick else "embedding time measured on all 2,000 sentences",
            f"align/claims timings: median of {repeats} run(s); align = threshold method with probabilities, "
            "claims = group_claims on P(same claim) (complete linkage)",
            f"machine: {os.cpu_count()} CPU cores; timings are for this machine only; no confidence interval "
            "(one run by design: the ratio is taken within one run)",
        ],
    }


if __name__ == "__main__":
    from benchmarks.standalone import run_standalone

    run_standalone(run)
