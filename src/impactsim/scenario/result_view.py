"""What the result's helpers read of a :class:`~impactsim.scenario.result.ScenarioResult`.

:mod:`impactsim.scenario.result` imports the helpers (:mod:`.regional_split`,
:mod:`.money_view`, :mod:`.spillovers`), so they cannot import it back; they take a
:class:`ResultView` instead — the attributes of the results API they use, which
``ScenarioResult`` has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field
from typing import Any, ClassVar, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.measures import MeasureRegistry
from ..tables.table import TableMeta
from .productivity import ProductivityPath
from .schema import Scenario
from .shocks import Shocks
from .sourcing_base import Sourcing


class ScaledDraws(Protocol):
    """Draws whose money measures can be rescaled (``ScenarioDraws.scaled``)."""

    def scaled(self, factors: Mapping[str, float], units: Mapping[str, str]) -> ScaledDraws: ...


class ResultView(Protocol):
    """The attributes of a scenario result the helpers read; a dataclass (``replace`` works)."""

    # Any: the field objects of a dataclass, as typeshed's DataclassInstance declares them
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def scenario(self) -> Scenario: ...
    @property
    def table(self) -> TableMeta: ...
    @property
    def shocks(self) -> Shocks: ...
    @property
    def values(self) -> NDArray[np.float64]: ...
    @property
    def effects(self) -> tuple[str, ...]: ...
    @property
    def measures(self) -> tuple[str, ...]: ...
    @property
    def units(self) -> Mapping[str, str]: ...
    @property
    def draws(self) -> ScaledDraws | None: ...
    @property
    def sourcing(self) -> Sourcing | None: ...
    @property
    def productivity(self) -> ProductivityPath | None: ...
    @property
    def columns(self) -> pd.DataFrame: ...
    @property
    def phases(self) -> tuple[str, ...]: ...
    @property
    def registry(self) -> MeasureRegistry: ...
    @property
    def money_factor(self) -> float: ...
    @property
    def is_multiregional(self) -> bool: ...
    def _check(self, *, measure: str | None = None, phase: str | None = None) -> None: ...
    def _headline_columns(self, phase: str) -> list[int]: ...
    def basis(self, phase: str) -> str: ...
