"""Where chunks of work run: in this process (default) or on a dask.distributed cluster.

An executor maps a top-level function ``fn(payload, item)`` over ``items`` and returns the
results in item order. ``payload`` is shared by every call (a Monte Carlo ensemble: arrays and
specs); on dask it is sent to the workers once. Because each chunk is a pure function of its
item and the payload (the seed is inside), in-process and dask runs give identical results.

dask is optional: ``pip install "impactsim[dask]"``; it is imported only when a
:class:`DaskExecutor` first runs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from ..errors import ImpactsimError, OptionError

T = TypeVar("T")
Progress = Callable[[int, int], None]


class ExecutorError(ImpactsimError, RuntimeError):
    """An executor cannot run: dask missing, cluster unreachable, unknown executor name."""


class WorkersError(ExecutorError, OptionError):
    """A number of worker threads that is not a positive whole number (bad input)."""


@runtime_checkable
class Executor(Protocol):
    """Runs ``fn(payload, item)`` for every item; results in item order.

    ``progress(done, total)`` is called as items finish, with ``weights`` (e.g. draws per chunk)
    summed into ``done`` / ``total``.
    """

    def map(
        self,
        fn: Callable[[Any, Any], T],
        payload: Any,
        items: Sequence[Any],
        *,
        weights: Sequence[int] | None = None,
        progress: Progress | None = None,
    ) -> list[T]: ...


def _distributed() -> Any:
    """The ``distributed`` module, or an :class:`ExecutorError` saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise ExecutorError(
            "the dask executor needs dask.distributed, which is not installed; "
            'run: pip install "impactsim[dask]" (or use the in-process executor)'
        ) from None
    return distributed


def _weights(items: Sequence[Any], weights: Sequence[int] | None) -> list[int]:
    return [1] * len(items) if weights is None else [int(w) for w in weights]


#: Environment variable that sets the default number of in-process worker threads.
WORKERS_VARIABLE = "IMPACTSIM_WORKERS"
#: Most worker threads chosen by default (more rarely pays for draws of small tables).
MAX_DEFAULT_WORKERS = 4
#: Most worker threads accepted at all.
MAX_WORKERS = 256


def default_workers() -> int:
    """Worker threads for in-process draws: ``IMPACTSIM_WORKERS`` if set, else the cores this
    process may run on (its CPU affinity), at most :data:`MAX_DEFAULT_WORKERS`."""
    raw = os.environ.get(WORKERS_VARIABLE, "").strip()
    if raw:
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_WORKERS:
            raise WorkersError(f"{WORKERS_VARIABLE}={raw!r}: give a whole number of threads "
                               f"from 1 to {MAX_WORKERS} (e.g. {WORKERS_VARIABLE}=1), or unset it")
        return int(raw)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


@dataclass(frozen=True)
class InProcessExecutor:
    """Runs the items in this process, on ``workers`` threads (default :func:`default_workers`).

    The items are pure functions of their input, so the number of threads never changes a
    result; what runs in parallel is the work that releases the interpreter lock (LAPACK,
    numpy's random generators and array arithmetic): two threads made the draws of a
    167-sector table 1.25–1.35× as fast on a 2-vCPU machine (docs/performance.md). Results come back
    in item order; if items fail, the error raised is the first failing item's, as on one
    thread, and items not yet started are cancelled. ``progress`` is called in the calling
    thread, in item order (the same calls as on one thread).
    """

    workers: int | None = None

    def __post_init__(self) -> None:
        w = self.workers
        if w is not None and (isinstance(w, bool) or not isinstance(w, int)
                              or not 1 <= w <= MAX_WORKERS):
            raise WorkersError(f"workers={w!r}: give a whole number of threads from 1 to "
                               f"{MAX_WORKERS}")

    def threads(self) -> int:
        """The number of threads :meth:`map` uses for many items."""
        return self.workers or default_workers()

    def map(
        self,
        fn: Callable[[Any, Any], T],
        payload: Any,
        items: Sequence[Any],
        *,
        weights: Sequence[int] | None = None,
        progress: Progress | None = None,
    ) -> list[T]:
        w = _weights(items, weights)
        workers = min(self.threads(), len(items))
        if workers > 1:
            return _threaded(fn, payload, items, w, workers, progress)
        total, done = sum(w), 0
        out: list[T] = []
        for item, wi in zip(items, w, strict=True):
            out.append(fn(payload, item))
            done += wi
            if progress is not None:
                progress(done, total)
        return out


def _threaded(fn: Callable[[Any, Any], T], payload: Any, items: Sequence[Any], w: list[int],
              workers: int, progress: Progress | None) -> list[T]:
    """``fn(payload, item)`` for every item on a pool of ``workers`` threads; item order."""
    total, done = sum(w), 0
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="impactsim-draws")
    try:
        futures = [pool.submit(fn, payload, item) for item in items]
        failed = False
        reported = 0  # progress is reported in item order, as on one thread
        for fut in as_completed(futures):
            if fut.exception() is not None:
                failed = True
                pool.shutdown(wait=True, cancel_futures=True)  # items already running finish
                break
            while reported < len(futures) and futures[reported].done():
                done += w[reported]
                reported += 1
                if progress is not None:
                    progress(done, total)
        if failed:  # the earliest failing item, as on one thread: every item before a running
            first = min(i for i, f in enumerate(futures)  # one had started, so has finished
                        if f.done() and not f.cancelled() and f.exception() is not None)
            raise futures[first].exception()  # type: ignore[misc]
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _children_ignore_sigint(processes: bool) -> Iterator[None]:
    """Start worker processes with SIGINT ignored (inherited): Ctrl-C in a terminal reaches
    the whole process group, and this process — not every worker — handles it and shuts the
    cluster down, so the workers print no tracebacks."""
    if not processes or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass(eq=False)
class DaskExecutor:
    """Runs items on dask.distributed: the cluster at ``address``, or a ``LocalCluster``.

    ``address=None`` starts a LocalCluster with ``n_workers`` workers of ``threads_per_worker``
    threads (``processes=False`` keeps them in this process, handy for tests) the first time work
    is mapped (its dashboard on ``dashboard_address``, a free port by default, e.g. ``":8787"``);
    it is closed by :meth:`close` or on leaving a ``with`` block. An existing
    ``distributed.Client`` can be passed as ``client``.
    """

    address: str | None = None
    n_workers: int | None = None
    threads_per_worker: int = 1
    processes: bool = True
    client: Any = None
    dashboard_address: str = ":0"
    _owned: list[Any] = field(default_factory=list, init=False, repr=False)

    def _client(self) -> Any:
        if self.client is not None:
            return self.client
        distributed = _distributed()
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        try:
            if self.address is None:
                with _children_ignore_sigint(self.processes):
                    cluster = LocalCluster(
                        n_workers=self.n_workers,
                        threads_per_worker=self.threads_per_worker,
                        processes=self.processes,
                        dashboard_address=self.dashboard_address,
                        silence_logs=logging.CRITICAL,  # no worker warnings on Ctrl-C
                    )
                self._owned.append(cluster)
                self.client = Client(cluster)
            else:
                self.client = Client(self.address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(
                f"cannot reach the dask scheduler at {self.address!r} ({exc}); check the "
                "address (e.g. tcp://host:8786) or leave it empty for a local cluster"
            ) from None
        self._owned.append(self.client)
        return self.client

    def map(
        self,
        fn: Callable[[Any, Any], T],
        payload: Any,
        items: Sequence[Any],
        *,
        weights: Sequence[int] | None = None,
        progress: Progress | None = None,
    ) -> list[T]:
        as_completed = _distributed().as_completed
        client = self._client()
        w = _weights(items, weights)
        total, done = sum(w), 0
        shared = client.scatter(payload, broadcast=True, hash=False)
        futures = [client.submit(fn, shared, item, pure=False) for item in items]
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in as_completed(futures):
            if fut.status == "error":
                fut.result()  # re-raises the worker's exception here
            done += w[index[fut.key]]
            if progress is not None:
                progress(done, total)
        results: list[T] = client.gather(futures)
        return results

    def close(self) -> None:
        """Close the client and the LocalCluster this executor started (if any)."""
        for obj in reversed(self._owned):
            obj.close()
        if self._owned:
            self.client = None
        self._owned.clear()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def get_executor(spec: Executor | str | None, *, address: str | None = None) -> Executor:
    """An executor from a name (``"inprocess"`` / ``"dask"``), an instance, or ``None``."""
    if spec is None or spec in ("inprocess", "in-process", "local"):
        if address is not None:
            return DaskExecutor(address=address)
        return InProcessExecutor()
    if spec == "dask":
        return DaskExecutor(address=address)
    if isinstance(spec, Executor):
        return spec
    raise ExecutorError(f"executor={spec!r}: use 'inprocess', 'dask' or an Executor instance")
