"""Executors: in-process, a local process pool, or a Dask cluster (``distributed``)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from breachdesk.core.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")


class InlineExecutor:
    """Runs tasks one after another in this process."""

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Yield results in order."""
        for index, item in enumerate(items):
            yield index, fn(item)


class LocalExecutor:
    """A pool of local worker processes (spawned, so no state is shared with the parent)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Yield results as workers finish them."""
        if self.workers == 1 or len(items) <= 1:
            yield from InlineExecutor().run(fn, items)
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(self.workers, len(items)), mp_context=context) as pool:
            futures = {pool.submit(fn, item): index for index, item in enumerate(items)}
            for future in as_completed(futures):
                yield futures[future], future.result()


class DaskExecutor:
    """Submits tasks to a Dask ``distributed`` scheduler (address, or a Client/LocalCluster)."""

    def __init__(self, address: str | Any) -> None:
        try:
            from distributed import Client
        except ModuleNotFoundError:
            raise ConfigError(
                "--dask needs the dask extra: pip install 'breachdesk[dask]'"
            ) from None
        self._owns = isinstance(address, str)
        try:
            self._client = Client(address, timeout="10s") if self._owns else Client(address)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"--dask: cannot reach the scheduler ({type(exc).__name__})"
            ) from None

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Yield results as the cluster finishes them."""
        from distributed import as_completed as dask_completed

        futures = self._client.map(fn, list(items), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for future in dask_completed(futures):
            yield index[future.key], future.result()

    def close(self) -> None:
        """Close the client (a cluster passed in stays up)."""
        self._client.close()
