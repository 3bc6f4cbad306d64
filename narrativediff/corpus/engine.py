"""Where corpus work runs: in this process (the default) or on a Dask cluster.

An engine maps one of :mod:`narrativediff.corpus.work`'s functions over a list of argument
tuples and yields ``(position, result)`` as results come, so the caller keeps only what it needs
of each result before the next arrives. Both engines give the same results; Dask only spreads
them over worker processes. Workers share embeddings through the on-disk
:class:`~narrativediff.embed.EmbeddingCache` (atomic writes, so several may write one folder).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

from narrativediff.exceptions import InvalidParameterError, MissingDependencyError

__all__ = ["InProcessEngine", "DaskEngine", "resolve_engine"]

_DASK_INSTALL = "pip install narrativediff[corpus]"


def _progress(total: int, desc: str, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise MissingDependencyError(f"progress=True needs tqdm; install it with `{_DASK_INSTALL}`.") from None
    return tqdm(total=total, desc=desc, leave=False)


class InProcessEngine:
    """Runs each task in this process, one after another.

    Examples
    --------
    >>> engine = InProcessEngine()
    >>> list(engine.map(pow, [(2, 3), (3, 2)]))
    [(0, 8), (1, 9)]
    """

    name = "in-process"
    n_workers = 1

    def __init__(self):
        self.cache_directory = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def prepare(self, encoder, cache):
        """What the tasks receive for the model and the cache: the objects themselves."""
        return encoder, cache

    def map(self, func, tasks: list[tuple], *, desc: str = "", progress: bool = False) -> Iterator[tuple]:
        bar = _progress(len(tasks), desc, progress)
        try:
            for position, args in enumerate(tasks):
                yield position, func(*args)
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()

    def __repr__(self) -> str:
        return "InProcessEngine()"


def _limit_threads(threads: int) -> int:
    import torch

    torch.set_num_threads(threads)
    return threads


class DaskEngine:
    """Runs tasks on a ``dask.distributed`` cluster.

    Parameters
    ----------
    address : str or distributed.Client, optional
        A scheduler address (``"tcp://10.0.0.5:8786"``) or a connected ``Client``; ``None`` starts a
        ``LocalCluster`` on 127.0.0.1 for the run and closes it afterwards.
    n_workers : int, optional
        Workers of the local cluster (default: the CPU count, at most 4), one thread each.
    in_flight : int, optional
        Tasks submitted ahead of the results read (default: four per worker), which bounds the
        results held at once.

    Notes
    -----
    Worker processes are spawned: a script that starts a local cluster needs
    ``if __name__ == "__main__":``. Workers read and write the cache's folder, so with a remote
    cluster give ``compare_corpus`` an ``EmbeddingCache(directory=...)`` on storage every worker
    sees; without a folder, a temporary one is made for the run (it works for local clusters only).
    Each worker runs torch on one thread.
    """

    name = "dask"

    def __init__(self, address=None, *, n_workers: int | None = None, in_flight: int | None = None):
        self.address = address
        self.n_workers = n_workers
        self.in_flight = in_flight
        self._client = None
        self._cluster = None
        self._owned_client = False
        self._scratch = None
        self.cache_directory = None

    def __enter__(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise MissingDependencyError(
                f"engine='dask' needs dask.distributed; install it with `{_DASK_INSTALL}`."
            ) from None
        if self.address is None:
            workers = self.n_workers or max(1, min(4, os.cpu_count() or 1))
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, host="127.0.0.1")
            self._client = Client(self._cluster)
            self._owned_client = True
        elif isinstance(self.address, str):
            self._client = Client(self.address)
            self._owned_client = True
        else:
            self._client = self.address
        self._client.run(_limit_threads, 1)
        return self

    def __exit__(self, *exc):
        if self._owned_client and self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        self._client = self._cluster = self._scratch = None
        return False

    @property
    def workers(self) -> int:
        return max(1, len(self._client.scheduler_info(n_workers=-1).get("workers", {})))

    def prepare(self, encoder, cache):
        """The model as a name or a scattered object, and the cache as a folder workers can open."""
        from narrativediff.corpus.work import CacheSpec, model_spec

        spec = model_spec(encoder)
        if spec is not None:
            spec = self._client.scatter(spec, broadcast=True)
        directory = cache.directory
        if directory is None:
            self._scratch = tempfile.mkdtemp(prefix="narrativediff-corpus-")
            directory = self._scratch
        self.cache_directory = str(directory)
        return spec, CacheSpec(directory=str(directory), max_items=cache.max_items)

    def map(self, func, tasks: list[tuple], *, desc: str = "", progress: bool = False) -> Iterator[tuple]:
        from distributed import as_completed

        bar = _progress(len(tasks), desc, progress)
        limit = self.in_flight or 4 * self.workers
        pending = iter(enumerate(tasks))
        futures = {}

        def submit_one():
            try:
                position, args = next(pending)
            except StopIteration:
                return False
            future = self._client.submit(func, *args, pure=False)
            futures[future] = position
            queue.add(future)
            return True

        queue = as_completed()
        try:
            for _ in range(limit):
                if not submit_one():
                    break
            for future in queue:
                position = futures.pop(future)
                result = future.result()
                future.release()
                yield position, result
                if bar is not None:
                    bar.update(1)
                submit_one()
        finally:
            for future in list(futures):
                future.cancel()
            if bar is not None:
                bar.close()

    def __repr__(self) -> str:
        where = "LocalCluster" if self.address is None else repr(self.address)
        return f"DaskEngine({where})"


def resolve_engine(engine):
    """The engine for ``engine=``: ``None`` or ``"in-process"``, ``"dask"``, an address, a Client, an engine."""
    if engine is None or engine == "in-process":
        return InProcessEngine()
    if isinstance(engine, (InProcessEngine, DaskEngine)):
        return engine
    if engine == "dask":
        return DaskEngine()
    if isinstance(engine, str) and "://" in engine:
        return DaskEngine(engine)
    if type(engine).__name__ == "Client" and type(engine).__module__.startswith("distributed"):
        return DaskEngine(engine)
    raise InvalidParameterError(
        "engine must be None or 'in-process', 'dask' (a local Dask cluster), a Dask scheduler address such as "
        f"'tcp://host:8786', a distributed.Client, or a DaskEngine; got {type(engine).__name__} {engine!r}."
    )
