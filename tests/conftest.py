"""Shared test fixtures (kept small; oracle data lives in the oracle test modules)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import impactsim as ims

# Hypothesis profiles. "ci" (the default): derandomized, so every run of the suite tries the
# same examples and a failure reproduces; tests' own @settings(max_examples=...) set their
# budget. "dev": new random examples every run and ten times the budget, for longer local
# hunts (HYPOTHESIS_PROFILE=dev python -m pytest ...).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", derandomize=False, deadline=None, max_examples=1000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Modules whose tests start the command line in subprocesses or run whole documentation pages
#: end to end: marked ``slow``. The README's test command runs the quick suite (``-m "not
#: slow"`` in pyproject.toml); CI runs the slow tests too (``python -m pytest -m slow``), so
#: nothing is dropped. Tests that rebuild bundled files from the raw sources (``shared``) are
#: slow as well.
SLOW_MODULES = frozenset({
    "test_docs_examples.py",
    "test_cli_run.py",
    "test_cli_errors.py",
    "test_cli_commands.py",
    "test_data_build.py",
    "test_data_extracts.py",
    "test_report_provinces.py",
    "test_adv_result_sets.py",
    "test_adv_cli_form.py",
    "test_gallery.py",
    "test_gallery_browser.py",
    "test_draft_corpus.py",
})


@pytest.fixture(autouse=True)
def _signal_handlers_as_before() -> Iterator[None]:
    """Each test starts with the process's SIGINT / SIGTERM handlers and unraisable hook as the
    one before it found them: tests that run the command in this process install its handlers,
    and a signal test (a held SIGINT that must raise) needs Python's own handler, whatever ran
    earlier."""
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    hook = sys.unraisablehook
    yield
    for sig, handler in before.items():
        if handler is not None and signal.getsignal(sig) is not handler:
            signal.signal(sig, handler)
    sys.unraisablehook = hook


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES or item.get_closest_marker("shared"):
            item.add_marker(pytest.mark.slow)


def toy_arrays() -> dict[str, Any]:
    """A balanced three-sector table, made up by hand (integers, so every identity is exact).

    Rows: Z 1 + Y 1 = x = (85, 90, 75). Columns: 1'Z + imports + value added
    = (30 + 5 + 50, 35 + 10 + 45, 35 + 5 + 35) = x.
    """
    return {
        "flows": np.array([[10.0, 20.0, 5.0], [15.0, 5.0, 10.0], [5.0, 10.0, 20.0]]),
        "final_demand": np.array([[30.0, 20.0], [40.0, 20.0], [25.0, 15.0]]),
        "value_added": np.array([[30.0, 25.0, 20.0], [20.0, 20.0, 15.0]]),
        "sectors": ["agri", "manu", "serv"],
        "final_demand_categories": ["households", "exports"],
        "value_added_components": ["compensation", "operating_surplus"],
        "imports": np.array([5.0, 10.0, 5.0]),
        "employment": np.array([4.0, 3.0, 6.0]),
        "name": "toy",
        "currency": "EUR",
        "unit": 1e6,
        "year": 2020,
    }


@pytest.fixture
def toy_kwargs() -> dict[str, Any]:
    """Keyword arguments for ``IOTable.from_arrays`` of the toy table (fresh copy per test)."""
    return toy_arrays()


@pytest.fixture
def toy_table() -> ims.IOTable:
    """The toy table as an :class:`impactsim.IOTable`."""
    kw = toy_arrays()
    return ims.IOTable.from_arrays(
        kw.pop("flows"), kw.pop("final_demand"), kw.pop("value_added"), **kw
    )
