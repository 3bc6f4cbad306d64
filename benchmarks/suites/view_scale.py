"""View scale: how long the notebook view and the HTML report take, and how large they are, for many outlets.

A face benchmark, not a model one: the articles are synthetic and the encoder is a small hashing
encoder (:class:`HashEncoder`, bag of words into 256 dimensions), so that a comparison of 200
outlets is built in seconds and what is measured is the faces. Each outlet reports a few of a pool
of claims, each in one of several wordings (loaded words, reporting verbs, actor labels swapped), so
outlets share claims, pairs align and the framing stage finds evidence, as in real news.

Reported per size (10, 50 and 200 outlets; 10 and 50 with ``quick``): seconds to build the
comparison, seconds and bytes of ``_repr_html_`` and of ``to_html(plots=False)``, and the numbers of
sentences, aligned pairs and shared claims behind them.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

NAME = "view_scale"
SIZES = (10, 50, 200)
QUICK_SIZES = (10, 50)

_SUBJECTS = ["Protesters", "Rioters", "Demonstrators", "Activists"]
_VERBS = ["said", "claimed", "insisted", "admitted", "told reporters"]
_CLAIMS = [
    "{s} gathered outside the parliament in Velmora on Monday, police {v}.",
    "The interior ministry {v} that 40 officers were injured in the clashes.",
    "{s} blocked the main bridge for six hours, the city council {v}.",
    "The government {v} the strike was illegal and would be crushed.",
    "Union leaders {v} the workers would not back down until wages rose.",
    "{s} set fire to two cars near the central station, witnesses {v}.",
    "The prime minister {v} she was ready to meet the organisers on Friday.",
    "Opposition parties {v} the police response was brutal and excessive.",
    "Shops in the old town stayed closed for a second day, traders {v}.",
    "The army was not deployed, a defence ministry spokesman {v}.",
    "{s} chanted slogans against the new tax on fuel, reporters {v}.",
    "Trains to the capital were cancelled after the crowds grew, the operator {v}.",
]


class HashEncoder:
    """A small deterministic encoder: each word hashed into one of 256 dimensions, rows unit length.

    Enough for a face benchmark (sentences that share words are similar), and fast; never a model.
    """

    name = "hash-bow-256"

    def encode(self, texts):
        import zlib

        out = np.zeros((len(texts), 256), dtype=np.float32)
        for k, text in enumerate(texts):
            for word in text.lower().replace(",", " ").replace(".", " ").split():
                out[k, zlib.crc32(word.encode()) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def synthetic_articles(n_outlets: int, *, claims_per_outlet: int = 6, seed: int = 0) -> dict:
    """``{outlet: text}``: ``n_outlets`` articles, each reporting ``claims_per_outlet`` claims of the pool."""
    rng = np.random.default_rng(seed)
    articles = {}
    for k in range(n_outlets):
        picked = sorted(rng.choice(len(_CLAIMS), size=min(claims_per_outlet, len(_CLAIMS)), replace=False))
        sentences = [_CLAIMS[c].format(s=_SUBJECTS[rng.integers(len(_SUBJECTS))], v=_VERBS[rng.integers(len(_VERBS))])
                     for c in picked]
        articles[f"Outlet {k:03d}"] = "Unrest in Velmora\n\n" + "\n\n".join(sentences) + "\n"
    return articles


def synthetic_comparison(n_outlets: int, *, seed: int = 0):
    """A Comparison of ``n_outlets`` synthetic articles, compared with :class:`HashEncoder`."""
    import narrativediff as nd

    return nd.compare(synthetic_articles(n_outlets, seed=seed), model=HashEncoder(),
                      cache=nd.EmbeddingCache(max_results=0))


def _timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def run(data_dir: Path | None = None, *, quick: bool = False, seed: int = 0) -> dict:
    """Measure the view and the report for each size; ``data_dir`` is not read (the data is synthetic)."""
    import warnings

    metrics = {}
    for n in QUICK_SIZES if quick else SIZES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # synthetic outlets trip the near-duplicate notes
            build, comparison = _timed(lambda: synthetic_comparison(n, seed=seed))
        view_s, view = _timed(comparison._repr_html_)
        report_s, report = _timed(lambda: comparison.to_html(plots=False))
        shared = comparison.claims.groupby("claim_id")["source"].nunique()
        metrics[f"outlets_{n}"] = {
            "compare_seconds": round(build, 3),
            "repr_html_seconds": round(view_s, 3),
            "repr_html_bytes": len(view.encode("utf-8")),
            "to_html_seconds": round(report_s, 3),
            "to_html_bytes": len(report.encode("utf-8")),
            "sentences": int(len(comparison.sentences)),
            "aligned_pairs": int(len(comparison.alignment)),
            "shared_claims": int((shared >= 2).sum()),
        }
    return {
        "name": NAME,
        "metrics": metrics,
        "notes": [
            "synthetic articles (a pool of 12 claims, 6 per outlet, wordings varied) and a hashing encoder: "
            "this measures the faces, not the model",
            "to_html without plots; timings are for this machine only, one run each",
        ],
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=1))
