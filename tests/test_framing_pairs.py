"""The labelled framing pairs (training/): file format, resolution into the shared data, and the real model."""

from __future__ import annotations

import re

import pytest

from narrativediff.exceptions import DataNotFoundError, InvalidInputError
from training import framing_pairs as fp

DIMENSIONS = {"word_choice", "attribution", "intensity", "actors", "none"}


@pytest.fixture(scope="module")
def stored():
    return fp.read_pairs_file()


@pytest.fixture(scope="module")
def resolved():
    try:
        return fp.load_framing_pairs()
    except DataNotFoundError as err:
        pytest.skip(str(err))


def test_pairs_file_is_well_formed(stored):
    assert len(stored) >= 150
    assert stored["pair_id"].is_unique
    assert set(stored["split"]) == {"train", "test"}
    share = (stored["split"] == "test").mean()
    assert 0.25 <= share <= 0.35
    assert set(stored["same_claim"]) <= {"yes", "no"}
    assert set(stored["framing"]) == {"same", "different"}
    for dims, framing in zip(stored["dimension"], stored["framing"]):
        parts = set(dims.split(";"))
        assert parts <= DIMENSIONS
        assert (parts == {"none"}) == (framing == "same")
    assert set(stored["dataset"]) == {"seeds", "basil"}
    seeds = stored[stored["dataset"] == "seeds"]
    assert seeds["line_a"].astype(int).min() >= 1 and seeds["doc_a"].str.endswith(".txt").all()
    assert (stored["doc_a"] != stored["doc_b"]).all()  # pairs are across outlets


def test_pairs_file_stores_no_article_text(stored):
    assert not {"text", "text_a", "text_b", "sentence"} & set(stored.columns)
    for column in ("pair_id", "doc_a", "doc_b", "hash_a", "hash_b"):
        assert stored[column].astype(str).str.len().max() <= 60
    # Notes may quote a few words, never a sentence.
    assert stored["note"].str.len().max() <= 200


def _longest_shared_run(note: str, text: str) -> int:
    n, joined = re.findall(r"\w+", note.lower()), " ".join(re.findall(r"\w+", text.lower()))
    best = 0
    for i in range(len(n)):
        for j in range(i + best + 1, len(n) + 1):
            if " ".join(n[i:j]) in joined:
                best = j - i
            else:
                break
    return best


def test_pairs_resolve_and_notes_quote_only_fragments(resolved):
    assert len(resolved) >= 150
    assert resolved["text_a"].str.len().min() > 10
    for row in resolved.itertuples():
        assert fp.text_hash(row.text_a) == row.hash_a
        assert _longest_shared_run(row.note, row.text_a) <= 10
        assert _longest_shared_run(row.note, row.text_b) <= 10
    ntb = resolved[(resolved["doc_a"] == "ntb.txt") & (resolved["line_a"].astype(str) == "3")]
    assert ntb["text_a"].iloc[0].startswith("The US claims that China is helping Russia")


def test_test_split_keeps_basil_events_apart(resolved):
    basil = resolved[resolved["dataset"] == "basil"]
    event = basil["doc_a"].str.split("/").str[0]
    splits_per_event = basil.groupby(event)["split"].nunique()
    assert (splits_per_event == 1).all()


def test_missing_data_dir_raises_clear_error(tmp_path):
    with pytest.raises(DataNotFoundError, match="data_dir"):
        fp.load_framing_pairs(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataNotFoundError):
        fp.load_framing_pairs(tmp_path / "empty")


def test_changed_source_is_caught(tmp_path, stored):
    broken = stored.copy()
    broken.loc[0, "hash_a"] = "0000000000"
    path = tmp_path / "pairs.csv"
    broken.to_csv(path, index=False)
    try:
        with pytest.raises(InvalidInputError, match="hash"):
            fp.load_framing_pairs(path=path)
    except DataNotFoundError as err:
        pytest.skip(str(err))


def test_components_separate_labels_on_train_split(resolved):
    from sklearn.metrics import roc_auc_score

    train = resolved[resolved["split"] == "train"]
    comps = fp.components_table(train)
    auc = roc_auc_score(train["framing_different"], comps["framing_score"])
    assert auc > 0.6


def test_candidate_pairs_with_real_model(model, resolved):
    """The real MiniLM finds the AFP/NTB paraphrase the team labelled, and not the unrelated line."""
    afp = "China has been the key factor in revitalising Russia’s defence industrial base"
    row = resolved[resolved["text_a"].str.startswith(afp)].iloc[0]
    unrelated = "Blinken’s trip runs to Friday, according to the State Department."
    found = fp.find_candidate_pairs([row.text_a, unrelated], [row.text_b], model, threshold=0.6)
    assert [(i, j) for i, j, _ in found] == [(0, 0)]
    assert found[0][2] > 0.8
    assert fp.find_candidate_pairs([unrelated], [row.text_b], model, threshold=0.6) == []


def test_the_installed_package_ships_fitted_parameters_only():
    """training/ and benchmarks/ are not packages of the distribution, and no data file but JSON ships."""
    import tomllib
    from pathlib import Path

    from setuptools import find_packages

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = find_packages(str(root), **config["packages"]["find"])
    assert "narrativediff" in found and "narrativediff.align" in found
    assert not [name for name in found if name.split(".")[0] in {"training", "benchmarks", "tests"}]
    data = config["package-data"]["narrativediff"]
    assert "data/*.json" in data and not [pattern for pattern in data if pattern.startswith("data/") and
                                          not pattern.endswith(".json")]
    assert sorted(p.name for p in (root / "narrativediff" / "data").iterdir() if p.is_file()) == [
        "relation_model.json", "same_claim_calibration.json"]
    assert fp.PAIRS_PATH.is_file() and fp.PAIRS_PATH.parent == root / "training" / "data"
