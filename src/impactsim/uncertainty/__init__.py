"""Uncertainty: Monte Carlo draws on batched solves, quantiles and sensitivity.

Build an :class:`Ensemble` from a :class:`~impactsim.LeontiefModel`, a demand model
(:class:`LinearDemand` of :class:`DemandTerm`) and uncertain inputs (:class:`Parameter` with a
distribution), optionally a :class:`CoefficientPerturbation` of the table; run it with
:func:`simulate` on an executor; read quantiles and sensitivity from the returned :class:`Draws`.
See ``docs/uncertainty.md`` and ``docs/performance.md``.
"""

from __future__ import annotations

from .demand import DemandModel, DemandTerm, LinearDemand
from .distributions import (
    Beta,
    Dirichlet,
    Distribution,
    LogNormal,
    Normal,
    Point,
    Triangular,
    UncertaintyError,
    Uniform,
    distribution_from_spec,
)
from .draws import DEFAULT_QUANTILES, Draws, plan_chunks, quantile_label, simulate
from .ensemble import ChunkResult, Ensemble
from .perturbation import CoefficientPerturbation
from .sampling import BLOCK, Parameter
from .sensitivity import Sensitivity, first_order_index, plot_tornado
from .solvers import SolveStats, perturbed_solve

__all__ = [
    "BLOCK",
    "DEFAULT_QUANTILES",
    "Beta",
    "ChunkResult",
    "CoefficientPerturbation",
    "DemandModel",
    "DemandTerm",
    "Dirichlet",
    "Distribution",
    "Draws",
    "Ensemble",
    "LinearDemand",
    "LogNormal",
    "Normal",
    "Parameter",
    "Point",
    "Sensitivity",
    "SolveStats",
    "Triangular",
    "UncertaintyError",
    "Uniform",
    "distribution_from_spec",
    "first_order_index",
    "perturbed_solve",
    "plan_chunks",
    "plot_tornado",
    "quantile_label",
    "simulate",
]
