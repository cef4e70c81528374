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
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from ..errors import ImpactsimError

T = TypeVar("T")
Progress = Callable[[int, int], None]


class ExecutorError(ImpactsimError, RuntimeError):
    """An executor cannot run: dask missing, cluster unreachable, unknown executor name."""


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


@dataclass(frozen=True)
class InProcessExecutor:
    """Runs the items one after another in this process (BLAS may still use several cores)."""

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
        total, done = sum(w), 0
        out: list[T] = []
        for item, wi in zip(items, w, strict=True):
            out.append(fn(payload, item))
            done += wi
            if progress is not None:
                progress(done, total)
        return out


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
