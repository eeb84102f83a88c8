"""Worker processes: one pool per run, reused by every batch, and a map that keeps the workers busy
while the caller writes the previous batch's results."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from typing import Iterable, Iterator

from ..settings import Settings

_POOLS: dict[int, cf.ProcessPoolExecutor] = {}


def pool(n: int) -> cf.ProcessPoolExecutor:
    """One pool of worker processes per run, reused by every batch (forkserver: no inherited threads).
    A new pool per batch cost ~0.5 s of start-up and imports each time: minutes at a million documents."""
    ex = _POOLS.get(n)
    if ex is None:
        ex = _POOLS[n] = cf.ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("forkserver"))
    return ex


def shutdown_pools() -> None:
    """Stop the worker processes (end of a run: a long-lived `serve` process keeps none between runs)."""
    for ex in _POOLS.values():
        ex.shutdown(wait=True, cancel_futures=True)
    _POOLS.clear()


def pool_map(fn, items: list, settings: Settings, min_parallel: int = 400) -> Iterable:
    """Map over items using all cores for large batches."""
    if len(items) < min_parallel or settings.n_workers <= 1:
        return map(fn, items)
    chunk = max(1, len(items) // (settings.n_workers * 8))
    ex = pool(settings.n_workers)
    try:
        # submitted now, not on the first next(): map_batches hands a batch over before it yields the one
        # before (a generator around ex.map submitted nothing until the caller read it, so the workers
        # waited while the caller wrote each batch's rows, and the caller while they computed)
        results = ex.map(fn, items, chunksize=chunk)
    except cf.process.BrokenProcessPool:
        _POOLS.pop(settings.n_workers, None)
        raise

    def gen():
        try:
            yield from results
        except cf.process.BrokenProcessPool:      # a worker died (OOM killer): the next batch gets a new pool
            _POOLS.pop(settings.n_workers, None)
            raise
    return gen()


def chunks(items: list, settings: Settings, min_parallel: int) -> list[list]:
    """A batch's work items cut into a few chunks per worker, for a function that takes a chunk (and sends
    back its rows column by column); a batch under ``min_parallel`` items is one chunk, which
    :func:`pool_map` (with ``min_parallel=2``) runs in this process."""
    if len(items) < min_parallel or settings.n_workers <= 1:
        return [items] if items else []
    size = -(-len(items) // (settings.n_workers * 8))
    return [items[i:i + size] for i in range(0, len(items), size)]


def map_batches(fn, batches: Iterable[list], settings: Settings, min_parallel: int = 400,
                prepare=None) -> Iterator[Iterable]:
    """For each batch, ``fn`` over ``prepare(batch)`` (or the batch), in order. The next batch is handed
    to the workers before the caller gets the current one's results: the workers compute it while the
    caller writes, instead of waiting for every write (and for the slowest chunk of each batch)."""
    pending = None
    for batch in batches:
        results = pool_map(fn, prepare(batch) if prepare else batch, settings, min_parallel)
        if pending is not None:
            yield pending
        pending = results
    if pending is not None:
        yield pending
