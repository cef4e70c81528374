"""Reproducible random streams: one stream per (input, block of draws), whatever the chunking.

Draw ``s`` belongs to block ``s // BLOCK``. The numbers for input ``name`` in block ``b`` come from
``Generator(SFC64(SeedSequence(seed, spawn_key=(key(name), b))))``, where the seed sequence is
exactly the child ``SeedSequence(seed).spawn(key + 1)[key].spawn(b + 1)[b]`` that
``SeedSequence.spawn`` would hand out, addressed directly. (SFC64, Chris Doty-Humphrey's Small
Fast Chaotic generator, passes PractRand and fills arrays about 30 % faster than PCG64, which
matters when every coefficient of the table is drawn.) Hence

* a chunk of draws ``[start, stop)`` is a pure function of ``(seed, start, stop)``: in-process,
  chunked or on a dask worker, the same seed gives the same draws;
* adding or removing one uncertain input leaves every other input's draws unchanged.

``BLOCK`` is part of the reproducibility contract: changing it changes the draws of a seed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .distributions import Dirichlet, Distribution, UncertaintyError, distribution_from_spec

Array = NDArray[np.float64]

#: Draws per random-stream block.
BLOCK = 64

#: Stream key of the table-coefficient perturbation (a name no input can take).
COEFFICIENTS = "coefficients"


def stream_key(name: str) -> int:
    """A stable 32-bit key for an input's name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


def block_rng(seed: int, name: str, block: int) -> np.random.Generator:
    """The generator for input ``name`` and block ``block`` of draws."""
    ss = np.random.SeedSequence(seed, spawn_key=(stream_key(name), int(block)))
    return np.random.Generator(np.random.SFC64(ss))


def check_seed(seed: Any) -> int:
    """A valid seed (a non-negative int); ``None`` draws fresh OS entropy (recorded by callers)."""
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)  # drawn fresh from the OS: one int
        return entropy
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise UncertaintyError(f"seed={seed!r}: give a non-negative integer (e.g. seed: 42)")
    return int(seed)


def fill_range(
    fill_block: Callable[[np.random.Generator, NDArray[Any]], None],
    name: str,
    seed: int,
    start: int,
    stop: int,
    out: NDArray[Any],
) -> None:
    """Fill ``out[0 : stop-start]`` with draws ``start … stop-1`` of stream ``name``.

    ``fill_block(rng, buf)`` fills a whole block ``buf`` (first axis ``BLOCK``); partial blocks
    at the chunk edges are generated whole and sliced, so any chunking gives the same numbers.
    """
    first, last = start // BLOCK, (stop - 1) // BLOCK
    tmp: NDArray[Any] | None = None
    for b in range(first, last + 1):
        lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
        rng = block_rng(seed, name, b)
        if lo == b * BLOCK and hi == (b + 1) * BLOCK:
            fill_block(rng, out[lo - start : hi - start])
        else:
            if tmp is None:
                tmp = np.empty((BLOCK, *out.shape[1:]), dtype=out.dtype)
            fill_block(rng, tmp)
            out[lo - start : hi - start] = tmp[lo - b * BLOCK : hi - b * BLOCK]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One uncertain input: a ``name``, its ``distribution`` and the ``base`` value.

    ``base`` is the value a deterministic run and the one-at-a-time swings use for this input
    (default: the distribution's centre; for a Dirichlet, the mean shares). ``label`` is the
    human name shown in sensitivity tables (default: ``name``).
    """

    name: str
    distribution: Distribution | Dirichlet
    base: Any = None
    label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or self.name == COEFFICIENTS:
            raise UncertaintyError(
                f"uncertain input name {self.name!r}: give a non-empty name other than "
                f"{COEFFICIENTS!r} (reserved for the table-coefficient perturbation)"
            )
        dist = distribution_from_spec(self.distribution, where=f"uncertain input {self.name!r}")
        object.__setattr__(self, "distribution", dist)
        if self.base is None:
            object.__setattr__(self, "base", dist.center)
        elif isinstance(dist, Dirichlet):
            base = np.asarray(self.base, dtype=float)
            if base.shape != (dist.size,) or abs(base.sum() - 1.0) > 1e-9:
                raise UncertaintyError(
                    f"uncertain input {self.name!r}: base shares must be {dist.size} values "
                    "summing to 1"
                )
            object.__setattr__(self, "base", base)
        else:
            object.__setattr__(self, "base", float(self.base))
        if not self.label:
            object.__setattr__(self, "label", self.name)

    @property
    def is_vector(self) -> bool:
        """True for a vector input (Dirichlet shares)."""
        return isinstance(self.distribution, Dirichlet)

    @property
    def degenerate(self) -> bool:
        """True when every draw equals the base value exactly."""
        dist = self.distribution
        if not dist.degenerate:
            return False
        return bool(np.array_equal(np.asarray(dist.center), np.asarray(self.base)))

    def base_values(self, size: int) -> Array:
        """``size`` copies of the base value: shape (size,) or (size, k)."""
        base = np.asarray(self.base, dtype=float)
        return np.broadcast_to(base, (size, *base.shape)).copy()

    def sample(self, seed: int, start: int, stop: int) -> Array:
        """Draws ``start … stop-1``: shape (stop-start,) or (stop-start, k) for shares.

        A degenerate input returns its base value exactly (no random numbers are used).
        """
        size = stop - start
        if self.degenerate:
            return self.base_values(size)
        dist = self.distribution
        if isinstance(dist, Dirichlet):
            out = np.empty((size, dist.size))

            def fill_vec(rng: np.random.Generator, buf: NDArray[Any]) -> None:
                buf[...] = dist.sample(rng, buf.shape[0])

            fill_range(fill_vec, self.name, seed, start, stop, out)
            return out
        flat = np.empty(size)
        fill_range(dist.fill, self.name, seed, start, stop, flat)
        return flat
