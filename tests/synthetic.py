"""Synthetic stories for property tests where the model is beside the point."""

from __future__ import annotations

import numpy as np
import pandas as pd

WORDS = "china russia machine tools drones missiles sanctions beijing moscow blinken trade war europe".split()


def unit(rows):
    """Rows scaled to unit length, as every encoder returns them."""
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def random_story(seed, n_sources=4, n_sentences=6, dim=16, n_topics=8):
    """Outlets that report overlapping topics with noise: a sentence table and its embeddings."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(n_topics, dim))
    rows, vectors = [], []
    for s in range(n_sources):
        picked = rng.choice(n_topics, size=n_sentences, replace=False)
        for k, topic in enumerate(picked):
            words = rng.choice(WORDS, size=6)
            rows.append({"source": f"S{s}", "sent_id": k, "text": f"{' '.join(words)} {int(topic)}."})
            vectors.append(topics[topic] + 0.45 * rng.normal(size=dim))
    return pd.DataFrame(rows), unit(vectors)
