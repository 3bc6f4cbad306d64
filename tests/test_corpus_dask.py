"""compare_corpus on a 2-worker Dask LocalCluster gives the in-process tables, sharing the disk cache."""

from __future__ import annotations

import pandas as pd
import pytest

import narrativediff as nd
from narrativediff.embed import EmbeddingCache
from tests.corpus_data import basil_frame

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       host="127.0.0.1")
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture(scope="module")
def frame(shared_data):
    return basil_frame(shared_data, 2, skip=3)


def _same(left, right):
    pd.testing.assert_frame_equal(left.articles, right.articles, check_exact=False, rtol=1e-4)
    pd.testing.assert_frame_equal(left.stories, right.stories, check_exact=False, rtol=1e-4)
    pd.testing.assert_frame_equal(left.story_framing, right.story_framing, check_exact=False, rtol=1e-4)


def test_dask_tables_equal_in_process(frame, encoder, client, tmp_path):
    local = nd.compare_corpus(frame, model=encoder, cache=EmbeddingCache(directory=tmp_path / "local"))
    spread = nd.compare_corpus(frame, model=encoder, engine=client, cache=EmbeddingCache(directory=tmp_path / "dask"))
    assert spread.engine == "dask" and local.engine == "in-process"
    assert len(client.scheduler_info()["workers"]) == 2
    _same(local, spread)
    assert spread.threshold_ == local.threshold_
    # Workers wrote every sentence into the shared folder: the same files as the in-process run.
    names = {p.name for p in (tmp_path / "local").rglob("*.npy")}
    assert names and names == {p.name for p in (tmp_path / "dask").rglob("*.npy")}
    assert spread.embedded == local.embedded == len(names)
    # A rerun on the cluster finds everything on disk and embeds nothing.
    again = nd.compare_corpus(frame, model=encoder, engine=client, cache=EmbeddingCache(directory=tmp_path / "dask"))
    assert again.embedded == 0
    _same(local, again)


def test_dask_rerun_after_lost_files(frame, encoder, client, tmp_path):
    cache = EmbeddingCache(directory=tmp_path)
    first = nd.compare_corpus(frame, model=encoder, engine=client, cache=cache, compare_stories=False)
    files = sorted(tmp_path.rglob("*.npy"))
    for file in files[:5]:
        file.unlink()
    second = nd.compare_corpus(frame, model=encoder, engine=client, cache=EmbeddingCache(directory=tmp_path),
                               compare_stories=False)
    assert (first.embedded, second.embedded) == (len(files), 5)


def test_memory_cache_uses_a_scratch_folder(frame, encoder, client):
    one_story = frame[frame["gold"] == frame["gold"].iloc[0]]
    result = nd.compare_corpus(one_story, model=encoder, engine=client, cache=EmbeddingCache())
    # The workers' comparisons found what the representation pass embedded on another worker, so the
    # cluster embedded as many texts as one process with one cache does.
    local = nd.compare_corpus(one_story, model=encoder, cache=EmbeddingCache())
    assert result.embedded == local.embedded > 0
    assert local.embedded >= result.comparison(0).sentences["text"].nunique()
    assert result.stories["n_pairs"].iloc[0] > 0
