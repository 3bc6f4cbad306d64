"""Fault injection for the on-disk embedding cache: truncated and bad files, an unwritable directory,
a full disk, and two processes writing one cache at once. None of these may stop a comparison,
corrupt the cache, or lose finished work; every skipped file is named."""

from __future__ import annotations

import builtins
import errno
import hashlib
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from narrativediff.embed import EmbeddingCache, embed_texts

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["one", "two", "three", "four"]


class UnitEncoder:
    """A test double: a deterministic unit vector per text, counting what it was asked to embed."""

    name = "unit"

    def __init__(self):
        self.seen = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.stack([expected(text) for text in texts])


def expected(text: str) -> np.ndarray:
    raw = np.frombuffer(hashlib.sha256(text.encode()).digest()[:16], dtype=np.uint8).astype(np.float32) - 127.5
    return (raw / np.linalg.norm(raw)).astype(np.float32)


def _files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.npy"))


def _filled(directory: Path) -> list[Path]:
    embed_texts(TEXTS, UnitEncoder(), cache=EmbeddingCache(directory=directory))
    files = _files(directory)
    assert len(files) == len(TEXTS)
    return files


def _rerun(directory: Path):
    encoder = UnitEncoder()
    vectors = embed_texts(TEXTS, encoder, cache=EmbeddingCache(directory=directory))
    np.testing.assert_array_equal(vectors, np.stack([expected(t) for t in TEXTS]))
    return encoder


@pytest.mark.parametrize("damage", [
    lambda file: file.write_bytes(file.read_bytes()[:50]),  # an interrupted write
    lambda file: file.write_bytes(b""),  # a full disk
    lambda file: file.write_bytes(b"not numpy at all"),
    lambda file: np.save(file, np.full(16, np.nan, dtype=np.float32)),
    lambda file: np.save(file, np.ones(16, dtype=np.float32)),  # not unit length
    lambda file: np.save(file, np.ones((2, 8), dtype=np.float32) / 4),
], ids=["truncated", "empty", "garbage", "nan", "not_unit", "matrix"])
def test_a_bad_file_is_skipped_named_re_embedded_and_rewritten(tmp_path, caplog, damage):
    victim = _filled(tmp_path)[1]
    damage(victim)
    with caplog.at_level(logging.WARNING, logger="narrativediff.embed"):
        encoder = _rerun(tmp_path)
    assert len(encoder.seen) == 1  # only the damaged entry is embedded again
    assert str(victim) in caplog.text and "skipping the embedding cache file" in caplog.text
    vector = np.load(victim)  # rewritten whole
    np.testing.assert_array_equal(vector, expected(encoder.seen[0]))
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_full_disk_leaves_no_partial_file_and_the_comparison_carries_on(tmp_path, monkeypatch):
    real_save = np.save

    def half_then_full(file, array, *args, **kwargs):
        stream = open(file, "wb") if isinstance(file, (str, os.PathLike)) else file
        buffer = __import__("io").BytesIO()
        real_save(buffer, array)
        stream.write(buffer.getvalue()[:40])
        stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "save", half_then_full)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        encoder = UnitEncoder()
        vectors = embed_texts(TEXTS, encoder, cache=EmbeddingCache(directory=tmp_path))
    np.testing.assert_array_equal(vectors, np.stack([expected(t) for t in TEXTS]))
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(messages) == 1 and "No space left" in messages[0] and str(tmp_path) in messages[0]
    assert not _files(tmp_path) and not list(tmp_path.rglob("*.tmp"))
    monkeypatch.undo()
    assert _rerun(tmp_path).seen == TEXTS  # the next run, with space again, embeds and caches normally
    assert len(_files(tmp_path)) == len(TEXTS)


def _assert_memory_only(directory: Path):
    cache = EmbeddingCache(directory=directory)
    encoder = UnitEncoder()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        embed_texts(TEXTS, encoder, cache=cache)
        again = embed_texts(TEXTS + ["five"], encoder, cache=cache)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(messages) == 1, messages  # once, not once per text
    assert "cannot write to the embedding cache directory" in messages[0] and "memory only" in messages[0]
    assert encoder.seen == TEXTS + ["five"]  # the memory copy still saves the second embedding
    np.testing.assert_array_equal(again[-1], expected("five"))


def test_a_read_only_directory_warns_once_and_carries_on_in_memory(tmp_path):
    directory = tmp_path / "cache"
    directory.mkdir()
    directory.chmod(0o555)
    try:
        if os.access(directory, os.W_OK):
            pytest.skip("chmod does not stop this user (root) from writing; see the simulated test below")
        _assert_memory_only(directory)
    finally:
        directory.chmod(0o755)


def test_an_unwritable_directory_simulated(tmp_path, monkeypatch):
    """What a read-only file system does to every way of writing under the cache folder."""
    directory = tmp_path / "cache"
    inside = str(directory)
    refused = []

    def refuse(path):
        refused.append(str(path))
        raise PermissionError(errno.EROFS, "Read-only file system", str(path))

    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir

    def guarded_open(file, mode="r", *args, **kwargs):
        if str(file).startswith(inside) and any(flag in mode for flag in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if str(path).startswith(inside) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def guarded_mkdir(path, *args, **kwargs):
        if str(path).startswith(inside):
            refuse(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)
    _assert_memory_only(directory)
    assert refused  # the guard was really in the way


def test_files_left_by_a_killed_writer_are_never_read(tmp_path):
    files = _filled(tmp_path)
    (files[0].parent / f".{files[0].stem[:16]}.abc.tmp").write_bytes(b"half")
    assert _rerun(tmp_path).seen == []


WRITER = r"""
import json, logging, random, sys
sys.path.insert(0, sys.argv[1])
from test_cache_faults import UnitEncoder, expected
from narrativediff.embed import EmbeddingCache, embed_texts
import numpy as np

skipped = []
class Count(logging.Handler):
    def emit(self, record):
        skipped.append(record.getMessage())
logging.getLogger("narrativediff.embed").addHandler(Count())

directory, me = sys.argv[2], sys.argv[3]
texts = [f"shared sentence {i}" for i in range(300)] + [f"{me} only {i}" for i in range(100)]
wrong = 0
for round in range(4):
    random.Random(f"{me}{round}").shuffle(texts)
    # max_items=0: every look-up goes to disk, while the other process is writing there
    vectors = embed_texts(texts, UnitEncoder(), cache=EmbeddingCache(directory=directory, max_items=0))
    wrong += int(sum(not np.array_equal(v, expected(t)) for v, t in zip(vectors, texts)))
# Then both hammer the same few files: one rewrites an entry while the other reads it back.
cache = EmbeddingCache(directory=directory, max_items=0)
hot = [f"shared sentence {i}" for i in range(20)]
for step in range(800):
    text = hot[(step * 7 + len(me)) % len(hot)]
    cache.put("name:unit", text, expected(text))
    vector = cache.get("name:unit", hot[step % len(hot)])
    wrong += int(vector is None or not np.array_equal(vector, expected(hot[step % len(hot)])))
print(json.dumps({"skipped": skipped, "wrong": wrong}))
"""


def test_two_processes_writing_one_cache_at_once(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    directory = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, str(script), str(Path(__file__).parent), str(directory), name],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
            for name in ("first", "second")]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        report = json.loads(out.strip().splitlines()[-1])
        assert report == {"skipped": [], "wrong": 0}
    everything = ([f"shared sentence {i}" for i in range(300)]
                  + [f"{me} only {i}" for me in ("first", "second") for i in range(100)])
    encoder = UnitEncoder()
    vectors = embed_texts(everything, encoder, cache=EmbeddingCache(directory=directory))
    assert encoder.seen == []  # no finished work was lost
    np.testing.assert_array_equal(vectors, np.stack([expected(t) for t in everything]))
    assert len(_files(directory)) == len(everything) and not list(directory.rglob("*.tmp"))
