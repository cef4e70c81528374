"""Error types. Every error raised for bad input is an :class:`ImpactsimError`.

Messages name the culprit (file, field, row, column or sector) and the fix, on one line.
"""

from __future__ import annotations


class ImpactsimError(Exception):
    """Base class of every error impactsim raises on purpose."""


class TableError(ImpactsimError, ValueError):
    """An input-output table is malformed: shapes, labels, values or balance."""


class NotProductiveError(ImpactsimError, ValueError):
    """The coefficient matrix is not productive (spectral radius >= 1): no Leontief inverse."""


class ClosureError(ImpactsimError, ValueError):
    """The household closure (Type II) cannot be formed from what was given."""


class DemandError(ImpactsimError, ValueError):
    """A final-demand change names an unknown sector or has the wrong shape or values."""


class OptionError(ImpactsimError, ValueError):
    """A keyword option has a value outside its allowed set (e.g. ``form=``, ``measure=``)."""


class DataSourceError(ImpactsimError):
    """A source file (CSV, xlsx, table folder) is not in the layout the reader expects."""


class ScenarioError(ImpactsimError, ValueError):
    """A scenario file is invalid: the message names the file, line, field and fix."""
