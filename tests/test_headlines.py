import numpy as np
import pandas as pd

from narrativediff.align.headlines import align_headlines, opening_mask


def _table():
    return pd.DataFrame({
        "source": ["A", "A", "A", "B", "B", "B"],
        "sent_id": [0, 1, 2, 0, 1, 2],
        "is_title": [True, False, False, False, False, False],
        "text": ["A head", "A lead", "A body", "B lead", "B second", "B third"],
    })


def test_openings_are_titles_and_the_first_body_sentence():
    assert opening_mask(_table()).tolist() == [True, True, False, True, False, False]


def test_a_title_pairs_only_with_the_other_outlets_opening_above_the_floor():
    angles = np.radians([0, 80, 85, 50, 5, 10])  # B's second sentence is closest, but not an opening
    vectors = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    pairs = align_headlines(_table(), vectors, floor=0.45)
    assert pairs[["source_a", "sent_a", "source_b", "sent_b"]].values.tolist() == [["A", 0, "B", 0]]
    assert abs(pairs.similarity.iloc[0] - np.cos(np.radians(50))) < 1e-6
    assert align_headlines(_table(), vectors, floor=0.7).empty


def test_titles_pair_with_titles_where_the_other_outlet_has_one():
    table = _table()
    table.loc[3, "is_title"] = True  # B's first sentence is now its headline; B's lead is sentence 1
    angles = np.radians([0, 80, 85, 40, 2, 10])  # B's lead is closer to A's title than B's title is
    vectors = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    pairs = align_headlines(table, vectors, floor=0.45)
    assert pairs[["source_a", "sent_a", "source_b", "sent_b"]].values.tolist() == [["A", 0, "B", 0]]
