"""The input-output engine: pure ndarray numerics (:mod:`.linalg`), the Leontief and Ghosh
models with the household closure (:mod:`.model`) and the :class:`Impact` result
(:mod:`.results`). Tables in, numbers out: no scenarios, files or display here."""

from __future__ import annotations

from .model import GhoshModel, HouseholdClosure, LeontiefModel
from .results import Impact

__all__ = ["GhoshModel", "HouseholdClosure", "Impact", "LeontiefModel"]
