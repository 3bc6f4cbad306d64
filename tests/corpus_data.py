"""Small corpora for the corpus tests: a few BASIL event triples as one article table."""

from __future__ import annotations

import json
from collections import OrderedDict


def basil_frame(shared_data, n_stories: int, *, skip: int = 0):
    """``n_stories`` BASIL triples (after ``skip``), one row per article, ``gold`` = triplet_uuid."""
    import pandas as pd

    articles: OrderedDict[str, dict] = OrderedDict()
    stories: list[str] = []
    with (shared_data / "basil" / "basil_dev_sentences.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            if row["triplet_uuid"] not in stories:
                if len(stories) >= skip + n_stories:
                    break
                stories.append(row["triplet_uuid"])
            if stories.index(row["triplet_uuid"]) < skip:
                continue
            article = articles.setdefault(row["article_uuid"], {
                "article_id": row["article_uuid"], "source": row["source"], "title": row["title"],
                "published": row["date"], "gold": row["triplet_uuid"], "paragraphs": OrderedDict()})
            article["paragraphs"].setdefault(row["para_idx"], []).append(row["text"])
    rows = []
    for article in articles.values():
        paragraphs = article.pop("paragraphs")
        rows.append({**article, "text": "\n".join(" ".join(p) for p in paragraphs.values())})
    return pd.DataFrame(rows)


def partition(labels) -> set[frozenset]:
    """The groups of positions that share a label."""
    groups: dict = {}
    for position, label in enumerate(labels):
        groups.setdefault(label, set()).add(position)
    return {frozenset(g) for g in groups.values()}
