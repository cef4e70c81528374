"""Commands on tables: ``tables``, ``multipliers`` and ``schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import DebugOpt, Form, JsonOpt, ListFormat, app, fail_usage, guard


@app.command(epilog="Example:\n\n`impactsim tables --json`")
def tables(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table),
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """List the bundled input-output tables with their provenance.

    Example: `impactsim tables`
    """
    with guard(debug=debug, as_json=as_json):
        from ..datasets import list_tables
        from ..present import terminal

        frame = list_tables()
        out_fmt = ListFormat.json if as_json else fmt
        if out_fmt == ListFormat.table:  # the terminal gets the key columns; files get all
            keep = [c for c in ("name", "sectors", "region", "year", "currency", "unit",
                                "price_basis", "publisher", "default") if c in frame.columns]
            caption = "; ".join(f"{r['name']}: {r.get('description', '')} Licence: "
                                f"{r.get('licence', '')}" for _, r in frame.iterrows())
            frame = frame[keep].set_index("name")
            terminal.emit_frame(frame, out_fmt.value, title="Bundled tables (impactsim tables "
                                "--json for all provenance fields)", caption=caption,
                                text_cols=("price_basis", "publisher"))
        else:
            terminal.emit_frame(frame, out_fmt.value, title="Bundled tables")


def _load_any_table(name: str):
    from ..datasets import list_tables, load_table
    from ..tables.table import IOTable

    path = Path(name)
    if path.exists():
        if not path.is_dir():
            fail_usage(f"{name}: a table is a bundled name or a table folder (IOTable.to_dir)")
        return IOTable.from_dir(path)
    names = [str(n) for n in list_tables()["name"]]
    if name not in names:
        fail_usage(f"table '{name}': not a bundled table nor a folder; use one of {names} "
                    "(impactsim tables) or a table folder written by IOTable.to_dir")
    return load_table(name)


@app.command(epilog=(
    "Examples:\n\n"
    "`impactsim multipliers korea-2020 --sector 610-DC --sector 310-MEM --induced`\n\n"
    "`impactsim multipliers --form ratio --sort employment --top 10`"
))
def multipliers(
    table: Annotated[str, typer.Argument(help="Bundled table name or table folder.")] = (
        "korea-2020"),
    sector: Annotated[list[str] | None, typer.Option(
        "--sector", "-s", help="Sector code(s) to show (repeat); default all.")] = None,
    induced: Annotated[bool, typer.Option(
        "--induced", help="Type II multipliers (households closed).")] = False,
    form: Annotated[Form, typer.Option(
        "--form", help="total: effect per unit of final demand; ratio: total / direct.")] = (
        Form.total),
    leakage: Annotated[float, typer.Option(
        "--leakage", min=0.0, max=0.99, help="With --induced: share of labour income not spent "
        "on domestic products beyond the closure's own (taxes, contributions, saving).")] = 0.0,
    closure_basis: Annotated[str, typer.Option(
        "--closure", help="With --induced: 'disposable-income' (default: compensation less "
        "contributions, income tax and saving, sourced rates) or 'compensation' (the table's "
        "own ratio, the older closure).")] = "disposable-income",
    sort: Annotated[str | None, typer.Option(
        "--sort", help="Sort by this measure, largest first.")] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Show the first N rows.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the multipliers and linkage indices to this file; the "
        "suffix picks the format: .csv, .xlsx, .parquet or .json.")] = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Multipliers by sector: effects per unit of final demand.

    Output, value added, labour income, imports and employment per unit of final demand for
    each sector (Type I, or Type II with --induced); --form ratio gives total / direct.

    Example: `impactsim multipliers korea-2020 --sector 610-DC --induced`
    """
    with guard(debug=debug, as_json=as_json):
        from ..engine.linkages import linkages
        from ..engine.model import LeontiefModel
        from ..errors import TableError
        from ..present import terminal
        from ..present.multiplier_files import drop_duplicate_income
        from ..present.writers import json_dumps
        from ..simulate import household_closure

        tab = _load_any_table(table)
        positions = []
        for s in sector or ():
            try:
                positions.append(tab.sector_position(s))
            except TableError as exc:
                fail_usage(f"--sector: {exc}")
        closure = None
        if closure_basis not in ("disposable-income", "compensation"):
            fail_usage(f"--closure {closure_basis}: use disposable-income or compensation")
        if induced:
            closure = household_closure(tab, leakage, basis=closure_basis)
        model = LeontiefModel(tab, closure=closure)
        frame = model.multipliers(induced=induced, form=form.value)
        units = dict(frame.attrs.get("units", {}))
        links = linkages(model)
        full = frame
        frame, income_note = drop_duplicate_income(frame.copy())
        if income_note:
            units.pop("household_income", None)
        for col, label in (("power_of_dispersion", "power"), ("sensitivity_of_dispersion",
                                                              "sensitivity")):
            frame[label] = links[col]
            units[label] = links.attrs["units"][col]
        if positions:
            frame = frame.iloc[positions]
        if sort:
            if sort not in frame.columns:
                fail_usage(f"--sort {sort}: not a measure; use one of {list(frame.columns)}")
            frame = frame.sort_values(sort, ascending=False)
        if top:
            frame = frame.head(top)
        if output is not None:  # the sectors selected, sorted and cut as on screen
            rows = [tab.sectors.get_loc(ix) for ix in frame.index]
            _write_multipliers(output, tab, full.iloc[rows], links, induced=induced,
                               form=form.value, quiet=as_json)
            if as_json:
                typer.echo(json_dumps({"files": [str(output)]}))
            return
        view, caption = terminal.multipliers_view(
            tab, frame, induced=induced, form=form.value,
            terminal=fmt == ListFormat.table and not as_json)
        caption += ("; power / sensitivity: linkage indices (BOK 영향력계수 / 감응도계수), "
                    "Leontief-inverse column / row sums relative to their mean")
        if income_note:
            caption += f"; {income_note}"
        out_fmt = ListFormat.json if as_json else fmt
        terminal.emit_frame(view, out_fmt.value, title=f"Multipliers, {tab.meta.name}",
                            caption=caption, text_cols=("name",),
                            attrs={"caption": caption, "units": units,
                                   "type": "II" if induced else "I", "form": form.value})


def _write_multipliers(output: Path, tab, frame, links, *, induced: bool, form: str,
                       quiet: bool) -> None:
    """Multipliers + linkage indices of every sector to ``output`` (format by suffix)."""
    from ..present.multiplier_files import (
        file_format,
        multipliers_file_bytes,
        multipliers_table,
    )
    from ..present.writers import atomic_write

    if output.is_dir():
        fail_usage(f"-o {output}: is a folder; give a file name such as "
                   f"{output / 'multipliers.xlsx'}")
    fmt = file_format(output)
    table, units, caption = multipliers_table(tab, frame, links, induced=induced, form=form)
    title = f"Multipliers, {tab.meta.name}"
    atomic_write(output, multipliers_file_bytes(table, units, caption, fmt=fmt, title=title))
    if not quiet:
        from ..present.escape import terminal_text

        typer.echo(terminal_text(f"Wrote {output} ({len(table)} sectors, {fmt})"))


# ----------------------------------------------------------------------------- schema
@app.command(epilog="Example:\n\n`impactsim schema -o scenario.schema.json`")
def schema(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the schema to this file instead of stdout.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion).

    Example: `impactsim schema > scenario.schema.json`
    """
    with guard(debug=debug):
        from ..present.writers import atomic_write, json_dumps
        from ..scenario.schema import scenario_json_schema

        text = json_dumps(scenario_json_schema()) + "\n"
        if output is None:
            typer.echo(text, nl=False)
        else:
            atomic_write(output, text)
