"""Headline alignment: how each outlet headlines the story, compared with every other outlet.

Articles about one event open, by the inverted-pyramid convention, with the event's main claim:
headline, standfirst and first body sentence (the lead). Headlines are short and worded to catch
the eye ("The top US diplomat plans to threaten Beijing" against "Urging China to Cease
Support of Russian Defense Industry"), so their cosine similarity often falls below the threshold
that body sentences need, although they report the same thing. They are also where framing
differences matter most. So every title sentence of one outlet is paired with the closest title of
every other outlet (with its lead where it has no title), within that small pool, above a lower
floor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from narrativediff.align.pairs import pair_probabilities, similarity_matrix

__all__ = ["HEADLINE_FLOOR", "opening_mask", "align_headlines"]

#: Cosine similarity a title must reach with another outlet's title or lead to be paired with it.
#: Within one event's openings, unrelated pairs are rare, so the floor is lower than the body
#: threshold. On the five seed articles, every outlet's opening pairs ranged from 0.39 to 0.74;
#: 0.45 keeps each headline's best partner in every outlet but one (AFP/Politico: 0.43).
HEADLINE_FLOOR = 0.45


def opening_mask(sentences: pd.DataFrame) -> np.ndarray:
    """Mark each outlet's titles and its lead (the first sentence that is not a title)."""
    is_title = sentences["is_title"].to_numpy(bool)
    body = sentences.loc[~is_title]
    lead_rows = body.groupby("source", sort=False).head(1).index
    mask = is_title.copy()
    mask[sentences.index.get_indexer(lead_rows)] = True
    return mask


def align_headlines(sentences: pd.DataFrame, embeddings: np.ndarray, *,
                    floor: float = HEADLINE_FLOOR, calibrator=None) -> pd.DataFrame:
    """Pair every title with the closest title (else the lead) of each other outlet.

    Parameters
    ----------
    sentences : DataFrame
        The sentence table; row ``k`` belongs to ``embeddings[k]``.
    embeddings : ndarray
    floor : float, default HEADLINE_FLOOR
    calibrator : SameClaimCalibrator or False, optional
        For the ``probability`` column; defaults to the shipped calibration; ``False`` leaves the
        probability columns out (compare() gives every pair its relation instead).

    Returns
    -------
    DataFrame
        ``source_a, sent_a, source_b, sent_b, similarity`` (and ``probability, same_claim`` when the
        table has a ``text`` column), outlets in the order given, one row per distinct pair (a title
        matched from both sides appears once).
    """
    sentences = sentences.reset_index(drop=True)
    openings = opening_mask(sentences)
    titles = sentences["is_title"].to_numpy(bool)
    sources = list(dict.fromkeys(sentences["source"]))
    order = {source: i for i, source in enumerate(sources)}
    source_of = sentences["source"].to_numpy()
    sent_ids = sentences["sent_id"].to_numpy()
    rows = []
    for source in sources:
        own_titles = np.flatnonzero(titles & (source_of == source))
        if not len(own_titles):
            continue
        for other in sources:
            if other == source:
                continue
            other_titles = np.flatnonzero(titles & (source_of == other))
            candidates = other_titles if len(other_titles) else np.flatnonzero(openings & (source_of == other))
            if not len(candidates):
                continue
            similarity = similarity_matrix(embeddings[own_titles], embeddings[candidates])
            best = similarity.argmax(axis=1)
            for title, column in zip(own_titles, best):
                value = float(similarity[np.flatnonzero(own_titles == title)[0], column])
                if value <= floor:
                    continue
                partner = candidates[column]
                first, second = (title, partner) if order[source] < order[other] else (partner, title)
                rows.append((first, second, value))
    rows = list(dict.fromkeys(rows))  # a title matched from both sides appears once
    first = np.array([row[0] for row in rows], dtype=int)
    second = np.array([row[1] for row in rows], dtype=int)
    similarity = np.array([row[2] for row in rows], dtype=float)
    table = pd.DataFrame({
        "source_a": source_of[first], "sent_a": sent_ids[first],
        "source_b": source_of[second], "sent_b": sent_ids[second], "similarity": similarity,
    })
    if "text" in sentences.columns and len(table) and calibrator is not False:
        table = table.assign(**pair_probabilities(sentences, first, second, similarity, calibrator=calibrator))
    return table
