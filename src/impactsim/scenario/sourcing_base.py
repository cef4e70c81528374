"""What every sourcing strategy offers: the :class:`Sourcing` protocol.

A sourcing strategy (:mod:`impactsim.scenario.sourcing`) is chosen once per run and answers
every question the rest of the run has about where spending is bought and how the table is
solved: the table, how one spending category is sourced over its rows, the model with
households closed (per region or economy-wide), whether induced effects and Monte Carlo draws
are available, and which rows of the table belong to which spending province. ``simulate.run``,
the shocks and the regional split ask these questions of any strategy alike; none of them
inspects the strategy's class.

:func:`table_model` is the model of a single table, cached per table object, shared by the
strategies that solve their table as one system and by :func:`impactsim.simulate.build_model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from ..engine.model import LeontiefModel
from ..tables.table import IOTable
from .households import DEFAULT_CLOSURE, build_closure

if TYPE_CHECKING:
    from .schema import Scenario

Array = NDArray[np.float64]


@dataclass(frozen=True)
class CategorySource:
    """How one spending category is bought: ``bridge`` splits it over table sectors (sums to 1),
    ``local`` is the share of each entry supplied inside the table's economy, ``basis`` says
    where the local share came from (for the audit trail)."""

    bridge: Array
    local: Array
    basis: str


class ProvinceBlock(NamedTuple):
    """The rows of one spending province's two-region model inside the stacked table:
    ``home`` the province's own products, ``rest`` those of the rest of the country."""

    home: slice
    rest: slice


@runtime_checkable
class Sourcing(Protocol):
    """Where a scenario's spending is bought and how its table is solved (module docs).

    Implemented by :class:`~impactsim.scenario.sourcing.NationalSourcing`,
    :class:`~impactsim.scenario.sourcing.MultiRegionSourcing` and
    :class:`~impactsim.scenario.sourcing.TwoRegionSourcing`.
    """

    @property
    def table(self) -> IOTable:
        """The table the model solves (stacked two-region tables on a provincial run)."""
        ...

    @property
    def note(self) -> str | None:
        """A line for the report when the table was changed for the scenario."""
        ...

    @property
    def kind(self) -> str:
        """``national``, ``two-region`` or ``multi-region`` (for reports)."""
        ...

    @property
    def multiregional(self) -> bool:
        """Whether the table's sectors are (region, product) pairs (effects by region)."""
        ...

    @property
    def local_share_moves_bridge(self) -> bool:
        """Whether a stated local share moves the bridge between supplying regions (the
        category is sourced again at each share) rather than scaling its local part."""
        ...

    @property
    def induced_available(self) -> bool:
        """Whether households can be closed (Type II) on this strategy's model."""
        ...

    @property
    def regions(self) -> tuple[str, ...]:
        """Regions where effects happen (one for a single-region table)."""
        ...

    def default_region(self) -> str:
        """The region an investment without one is placed in."""
        ...

    def check_regions(self, scenario: Scenario) -> None:
        """Refuse (ScenarioError naming file, line and fix) regions the strategy cannot place."""
        ...

    def lookup(self) -> dict[str, int]:
        """Pattern sector code → row of the product table."""
        ...

    def margin_table(self) -> IOTable | None:
        """The single-region table whose trade and transport margins price the spending in
        purchasers' prices (None: margins are not separated on this table)."""
        ...

    def source(
        self,
        split: Mapping[str, float],
        *,
        region: str,
        kind: str,
        demand: str,
        stated_local: float | None,
        stated_basis: str = "",
        stated_provincial: float | None = None,
        channel: str = "purchase",
        site: bool = False,
    ) -> CategorySource:
        """Bridge and local shares of one spending category (``split``: product → share)."""
        ...

    def model(self, *, leakage: float | None, basis: str = DEFAULT_CLOSURE) -> LeontiefModel:
        """The model a run solves: households closed with the scenario's extra ``leakage`` on
        the closure ``basis`` (``leakage=None``: Type I only)."""
        ...

    def draws_note(self, draws: int | None) -> str | None:
        """None when Monte Carlo draws run on this strategy; otherwise the note a result
        carries in their place (an :class:`~impactsim.errors.ImpactsimError` when ``draws``
        asks for them explicitly)."""
        ...

    def province_blocks(self) -> Mapping[str, ProvinceBlock]:
        """Per spending province, its rows in :attr:`table` (empty: the table is solved as one
        system, with no provinces)."""
        ...

    def province_of(self, region: str) -> str:
        """The spending province (a key of :meth:`province_blocks`) of a shock column spent
        in ``region``."""
        ...


#: Recently used models, so repeated runs on one table factorize it once (tables are immutable).
_MODELS: list[tuple[IOTable, tuple[float, str] | None, LeontiefModel]] = []
_MODEL_CACHE_SIZE = 6


def table_model(
    table: IOTable, *, leakage: float | None, basis: str = DEFAULT_CLOSURE
) -> LeontiefModel:
    """The Leontief model of ``table``, households closed (:func:`~impactsim.scenario.
    households.build_closure`) with extra ``leakage`` on ``basis`` unless ``leakage`` is None
    (Type I only).

    Models are cached per (table object, leakage, basis), so ``(I − A)`` is factorized once per
    table; a Type I request is served by any cached model of the table.
    """
    key = None if leakage is None else (leakage, basis)
    for tab, lk, model in _MODELS:
        if tab is table and (lk == key or key is None):  # any model serves Type I
            return model
    if leakage is None:
        model = LeontiefModel(table)
    else:
        model = LeontiefModel(table, closure=build_closure(table, basis=basis, leakage=leakage))
    _MODELS.insert(0, (table, key, model))
    del _MODELS[_MODEL_CACHE_SIZE:]
    return model
