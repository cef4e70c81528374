"""Every kind of bad input raises an ``ImpactsimError`` subclass whose one-line message names the
culprit (block, row, column, sector, component or option) and says how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import impactsim as ims


def build(kw: dict[str, Any]) -> ims.IOTable:
    kw = dict(kw)
    return ims.IOTable.from_arrays(
        kw.pop("flows"), kw.pop("final_demand"), kw.pop("value_added"), **kw
    )


def expect(exc: type[ims.ImpactsimError], fn: Callable[[], object], *fragments: str) -> str:
    """``fn()`` raises ``exc`` (an ImpactsimError) with a one-line message containing every
    fragment; returns the message."""
    assert issubclass(exc, ims.ImpactsimError)
    with pytest.raises(exc) as info:
        fn()
    msg = str(info.value)
    assert "\n" not in msg, msg
    for frag in fragments:
        assert frag in msg, f"{frag!r} not in {msg!r}"
    return msg


# ------------------------------------------------------------------------------ shapes and labels
def test_flows_not_square(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["flows"] = toy_kwargs["flows"][:, :2]
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "flows",
        "square",
        "(3, 2)",
        "one row and one column per sector",
    )


def test_final_demand_wrong_number_of_rows(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["final_demand"] = toy_kwargs["final_demand"][:2]
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "final_demand",
        "2 rows",
        "3 sectors",
        "one row per sector",
    )


def test_value_added_wrong_number_of_columns(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["value_added"] = toy_kwargs["value_added"][:, :2]
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "value_added",
        "2 columns",
        "one column per sector",
    )


def test_imports_row_wrong_length(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["imports"] = [1.0, 2.0]
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "imports",
        "2 values for 3 sectors",
        "per buying sector",
    )


def test_imported_flow_matrix_wrong_shape(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["imports"] = np.zeros((3, 2))
    toy_kwargs["final_demand_imports"] = np.zeros((3, 2))
    expect(ims.TableError, lambda: build(toy_kwargs), "imports", "3 × 3", "(3, 2)")


def test_imported_flow_matrix_needs_final_demand_imports(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["imports"] = np.zeros((3, 3))
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "final_demand_imports",
        "required",
        "imported part of final demand",
    )


def test_final_demand_imports_wrong_shape(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["imports"] = np.zeros((3, 3))
    toy_kwargs["final_demand_imports"] = np.zeros((3, 1))
    expect(ims.TableError, lambda: build(toy_kwargs), "final_demand_imports", "(3, 1)", "(3, 2)")


def test_satellite_wrong_length(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["employment"] = [1.0, 2.0, 3.0, 4.0]
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "employment",
        "4 values for 3 sectors",
        "give one each",
    )


def test_output_wrong_length(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["output"] = [85.0, 90.0]
    expect(ims.TableError, lambda: build(toy_kwargs), "output", "2 values for 3 sectors")


def test_duplicate_sector_labels(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["sectors"] = ["agri", "agri", "serv"]
    expect(ims.TableError, lambda: build(toy_kwargs), "sectors", "duplicate", "'agri'", "unique")


def test_wrong_number_of_sector_labels(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["sectors"] = ["agri", "manu"]
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "sectors",
        "2 labels given for 3 entries",
        "one label each",
    )


def test_wrong_number_of_category_labels(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["final_demand_categories"] = ["households"]
    expect(
        ims.TableError, lambda: build(toy_kwargs), "final_demand_categories", "1 labels given for 2"
    )


def test_flows_frame_with_mismatched_row_and_column_labels(toy_kwargs: dict[str, Any]) -> None:
    kw = toy_kwargs
    kw["flows"] = pd.DataFrame(kw["flows"], index=kw["sectors"], columns=["agri", "serv", "manu"])
    del kw["sectors"]
    expect(
        ims.TableError, lambda: build(kw), "flows", "row labels and column labels differ", "reorder"
    )


def test_final_demand_frame_with_other_sector_labels(toy_kwargs: dict[str, Any]) -> None:
    kw = toy_kwargs
    kw["final_demand"] = pd.DataFrame(kw["final_demand"], index=["agri", "serv", "manu"])
    expect(ims.TableError, lambda: build(kw), "final_demand", "row labels differ", "reindex")


def test_value_added_frame_with_other_sector_labels(toy_kwargs: dict[str, Any]) -> None:
    kw = toy_kwargs
    kw["value_added"] = pd.DataFrame(kw["value_added"], columns=["x", "y", "z"])
    expect(ims.TableError, lambda: build(kw), "value_added", "column labels differ")


def test_non_numeric_values(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["value_added"] = [["a", "b", "c"]]
    expect(ims.TableError, lambda: build(toy_kwargs), "value_added", "must be numbers")
    kw = dict(
        toy_kwargs, value_added=[[30.0, 25.0, 20.0], [20.0, 20.0, 15.0]], employment=["x", 1, 2]
    )
    expect(ims.TableError, lambda: build(kw), "employment", "must be numbers")


def test_wrong_dimensions(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["flows"] = np.zeros((3, 3, 1))
    expect(ims.TableError, lambda: build(toy_kwargs), "flows", "expected a matrix", "(3, 3, 1)")


# ------------------------------------------------------------------------------ NaN and inf
@pytest.mark.parametrize(
    ("block", "index", "fragments"),
    [
        ("flows", (0, 2), ("flows", "row 'agri', column 'serv'")),
        ("final_demand", (1, 1), ("final_demand", "sector 'manu', category 'exports'")),
        ("value_added", (1, 2), ("value_added", "component 'operating_surplus', sector 'serv'")),
        ("imports", (1,), ("imports", "sector 'manu'")),
        ("employment", (2,), ("employment", "sector 'serv'")),
    ],
)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_named(
    toy_kwargs: dict[str, Any],
    block: str,
    index: tuple[int, ...],
    fragments: tuple[str, ...],
    bad: float,
) -> None:
    arr = np.array(toy_kwargs[block], dtype=float)
    arr[index] = bad
    toy_kwargs[block] = arr
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        *fragments,
        "NaN or inf",
        "replace it with a number",
    )


# ------------------------------------------------------------------------------ signs and zeros
def test_negative_flow_is_named(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["flows"][1, 0] = -1.0
    toy_kwargs["final_demand"][1, 0] += 16.0  # keep the row balanced; the sign is the problem
    expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "flows",
        "negative value -1",
        "row 'manu', column 'agri'",
        "allow_negative",
    )


def test_negative_flow_allowed_when_asked(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["flows"][1, 0] = -1.0
    toy_kwargs["final_demand"][1, 0] += 16.0
    toy_kwargs["value_added"][1, 0] += 16.0  # column 'agri' lost 16 of inputs
    t = build(dict(toy_kwargs, allow_negative=("flows", "final_demand", "value_added")))
    assert t.z_domestic[1, 0] == -1.0


def test_negative_imports_and_employment(toy_kwargs: dict[str, Any]) -> None:
    kw = dict(toy_kwargs, imports=np.array([5.0, -10.0, 5.0]))
    expect(ims.TableError, lambda: build(kw), "imports", "negative value -10", "sector 'manu'")
    kw = dict(toy_kwargs, employment=np.array([4.0, 3.0, -6.0]))
    expect(ims.TableError, lambda: build(kw), "employment", "negative value -6", "sector 'serv'")


def test_imported_flow_exceeding_total_flow(toy_kwargs: dict[str, Any]) -> None:
    z_m = np.zeros((3, 3))
    z_m[2, 1] = 12.0  # total flow serv → manu is 10
    kw = dict(toy_kwargs, imports=z_m, final_demand_imports=np.zeros((3, 2)))
    expect(
        ims.TableError,
        lambda: build(kw),
        "imported flow exceeds the total flow",
        "row 'serv', column 'manu'",
        "must not exceed",
    )


def test_zero_output_sector_is_named(toy_kwargs: dict[str, Any]) -> None:
    kw = toy_kwargs
    kw["flows"][:, 1] = 0.0
    kw["flows"][1, :] = 0.0
    kw["final_demand"][1, :] = 0.0
    kw["value_added"][:, 1] = 0.0
    kw["imports"][1] = 0.0
    kw["employment"][1] = 0.0
    kw["output"] = [85.0 - 20.0, 0.0, 75.0 - 10.0]
    kw["final_demand"][0, 0] += 20.0 - 20.0  # rows lost their sales to 'manu'
    kw["value_added"][0, 0] -= 15.0  # column 'agri' lost its input from 'manu'
    kw["value_added"][0, 2] -= 10.0
    expect(ims.TableError, lambda: build(kw), "output", "['manu']", "zero output", "aggregate")


# ------------------------------------------------------------------------------ balance
def test_row_imbalance_names_largest_residuals(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["output"] = [85.0, 93.0, 75.5]  # manu off by −3, serv by −0.5
    msg = expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "row balance",
        "Z_d 1 + Y_d 1 = x",
        "2 sector(s)",
        "manu: -3",
        "serv: -0.5",
        "correct the data",
    )
    assert msg.index("manu") < msg.index("serv")  # largest residual first


def test_column_imbalance_names_largest_residuals(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["value_added"][1, 2] += 7.0  # serv's inputs now exceed its output by 7
    toy_kwargs["value_added"][1, 0] += 0.25
    msg = expect(
        ims.TableError,
        lambda: build(toy_kwargs),
        "column balance",
        "1'Z_d + imports + value added = x",
        "serv: +7",
        "agri: +0.25",
    )
    assert msg.index("serv") < msg.index("agri")


def test_balance_tolerance_is_respected(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["value_added"][1, 2] += 1e-4  # relative 1.3e-6 of output 75
    build(dict(toy_kwargs, balance_rtol=1e-5))
    expect(
        ims.TableError, lambda: build(dict(toy_kwargs, balance_rtol=1e-7)), "column balance", "serv"
    )


# ------------------------------------------------------------------------------ productivity
def non_productive_table() -> ims.IOTable:
    """Balanced but not productive: intermediate inputs exceed output (value added −20 each,
    allowed as negative), so the column sums of A are 150/130 > 1."""
    return ims.IOTable.from_arrays(
        [[100.0, 50.0], [50.0, 100.0]],
        [[-20.0], [-20.0]],
        [[-20.0, -20.0]],
        sectors=["a", "b"],
        name="broken",
    )


def test_non_productive_table_raises_with_diagnostic() -> None:
    m = ims.LeontiefModel(non_productive_table())
    msg = expect(
        ims.NotProductiveError,
        lambda: m.multipliers(),
        "not productive",
        "spectral radius 1.15385",
        "must be below 1",
        "column sums of A",
        "a: 1.154",
        "add up to its output",
    )
    assert "pseudo" not in msg
    assert not m.productivity.productive
    assert m.productivity.radius == pytest.approx(150.0 / 130.0)


def test_non_productive_closure_raises_with_schur_diagnostic(toy_table: ims.IOTable) -> None:
    closure = ims.HouseholdClosure(income=[0.9, 0.9, 0.9], consumption=[1.0, 1.0, 1.0])
    m = ims.LeontiefModel(toy_table, closure=closure)
    m.multipliers()  # Type I is fine
    expect(
        ims.NotProductiveError,
        lambda: m.multipliers(induced=True),
        "households-closed model is not productive",
        "must be positive",
        "HouseholdClosure.consumption",
        "leakage",
    )


# ------------------------------------------------------------------------------ demand
def test_unknown_sector_in_demand(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    expect(
        ims.DemandError,
        lambda: m.impact({"manuf": 1.0}),
        "'manuf'",
        "table 'toy' does not have",
        "did you mean ['manu']",
        "table.sectors",
    )


def test_bad_demand_values_and_shapes(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    expect(ims.DemandError, lambda: m.impact({"manu": "lots"}), "'manu'", "'lots' is not a number")
    expect(ims.DemandError, lambda: m.impact({"manu": float("nan")}), "NaN or inf", "sector 'manu'")
    expect(ims.DemandError, lambda: m.impact([1.0, 2.0]), "expected 3 values", "(2,)")
    expect(ims.DemandError, lambda: m.impact(["a", "b", "c"]), "values must be numbers")
    expect(ims.DemandError, lambda: m.solve(np.ones(4)), "(4,)", "n = 3 sectors")
    expect(
        ims.DemandError,
        lambda: ims.GhoshModel(toy_table).impact({"x": 1.0}),
        "primary_inputs",
        "'x'",
    )


# ------------------------------------------------------------------------------ household closure
@pytest.mark.parametrize(
    ("closure", "fragments"),
    [
        (
            ims.HouseholdClosure(income=[0.1, 0.2], consumption=[0.1, 0.1, 0.1]),
            ("HouseholdClosure.income", "2 values for 3 sectors"),
        ),
        (
            ims.HouseholdClosure(income=[0.1, -0.2, 0.3], consumption=[0.1, 0.1, 0.1]),
            ("HouseholdClosure.income", "sector 'manu'", "-0.2", "finite number >= 0"),
        ),
        (
            ims.HouseholdClosure(income=[0.1, np.nan, 0.3], consumption=[0.1, 0.1, 0.1]),
            ("HouseholdClosure.income", "sector 'manu'", "nan"),
        ),
        (
            ims.HouseholdClosure(income=[0.1, 0.2, np.inf], consumption=[0.1, 0.1, 0.1]),
            ("HouseholdClosure.income", "sector 'serv'", "inf"),
        ),
        (
            ims.HouseholdClosure(
                income=[0.1, 0.2, 0.3], consumption=[0.1, 0.1, 0.1], self_coefficient=1.5
            ),
            ("self_coefficient=1.5", "[0, 1)"),
        ),
        (
            ims.HouseholdClosure(income="abc", consumption=[0.1, 0.1, 0.1]),
            ("HouseholdClosure.income", "numbers"),
        ),
        (
            ims.HouseholdClosure(
                income=pd.Series({"agri": 0.1, "manu": 0.2}), consumption=[0.1, 0.1, 0.1]
            ),
            ("HouseholdClosure.income", "no value for sector(s) ['serv']"),
        ),
    ],
)
def test_bad_household_closure(
    toy_table: ims.IOTable, closure: ims.HouseholdClosure, fragments: tuple[str, ...]
) -> None:
    expect(ims.ClosureError, lambda: ims.LeontiefModel(toy_table, closure=closure), *fragments)


def test_closure_of_the_wrong_type(toy_table: ims.IOTable) -> None:
    bad: Any = {"income": [0.1, 0.2, 0.3]}
    expect(
        ims.ClosureError,
        lambda: ims.LeontiefModel(toy_table, closure=bad),
        "closure must be an impactsim.HouseholdClosure",
        "HouseholdClosure.from_table",
    )


def test_closure_leakage_out_of_range(toy_table: ims.IOTable) -> None:
    expect(
        ims.ClosureError,
        lambda: ims.HouseholdClosure.from_table(toy_table, leakage=1.0),
        "leakage=1.0",
        "[0, 1)",
    )


def test_type_ii_without_households_column(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["final_demand_categories"] = ["consumption", "exports"]
    m = ims.LeontiefModel(build(toy_kwargs))
    m.multipliers()  # Type I does not need it
    expect(
        ims.ClosureError,
        lambda: m.multipliers(induced=True),
        "no final-demand category 'households'",
        "['consumption', 'exports']",
        "HouseholdClosure(income=..., consumption=...)",
    )


def test_type_ii_without_compensation_row(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["value_added_components"] = ["wages", "operating_surplus"]
    m = ims.LeontiefModel(build(toy_kwargs))
    assert "income" not in m.measures
    expect(
        ims.ClosureError,
        lambda: m.impact({"agri": 1.0}, induced=True),
        "no value-added component named 'compensation'",
        "name the labour-income row",
    )


def test_type_ii_with_zero_compensation(toy_kwargs: dict[str, Any]) -> None:
    toy_kwargs["value_added"] = np.vstack([np.zeros(3), toy_kwargs["value_added"].sum(axis=0)])
    expect(
        ims.ClosureError,
        lambda: ims.HouseholdClosure.from_table(build(toy_kwargs)),
        "compensation sums to 0",
        "fix the 'compensation' row",
    )


# ------------------------------------------------------------------------------ options
def test_bad_options(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    bad_form: Any = "percent"
    expect(
        ims.OptionError,
        lambda: m.multipliers(form=bad_form),
        "form='percent'",
        "form='total' or form='ratio'",
    )
    imp = m.impact({"agri": 1.0})
    expect(ims.OptionError, lambda: imp.by_sector("jobs"), "measure='jobs'", "employment")
    expect(
        ims.OptionError,
        lambda: imp["induced", "output"],
        "'induced'",
        "['direct', 'indirect', 'total']",
    )
    not_a_table: Any = "korea"
    expect(
        ims.TableError,
        lambda: ims.LeontiefModel(not_a_table),
        "must be an impactsim.IOTable",
        "IOTable.from_arrays",
    )
