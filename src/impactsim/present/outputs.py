"""Result files of a run: tidy results, the summary, claim comparisons, a report and the
provenance record, serialised to bytes (written by :func:`~.writers.write_files` as a set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .._version import __version__
from ..scenario.claims import ClaimComparison, comparisons_frame
from ..scenario.result import ScenarioResult
from . import energy, report, uncertainty_files
from .appraisal import appraisal_frame
from .escape import safe_path
from .writers import TABULAR_FORMATS, Provenance, frame_bytes, sha256_file


def _scenario_sha256(path: Path, result: ScenarioResult) -> str:
    """The hash of the bytes the scenario was parsed from (never a second read of ``path``,
    which could differ, block on a FIFO or be empty on ``/dev/stdin``)."""
    digest = result.scenario.source_sha256
    return digest if digest is not None else sha256_file(path)


def result_files(out_dir: Path, stem: str, path: Path, result: ScenarioResult,
                 comparisons: list[ClaimComparison], fmt: str, argv: list[str],
                 options: dict[str, Any], *, extras: tuple[str, ...] = ()) -> dict[Path, Any]:
    """Serialise one scenario's results into {target path: bytes} (nothing written yet).

    The summary carries the quantiles of the draws next to the central values; ``extras``
    (``"sector-quantiles"``, ``"sensitivity"``) add ``<stem>.sector_quantiles<ext>`` and
    ``<stem>.sensitivity<ext>`` when the result has draws.
    """
    data_fmt = fmt if fmt in TABULAR_FORMATS else "csv"
    ext = TABULAR_FORMATS[data_fmt]
    files: dict[Path, Any] = {}
    files[out_dir / f"{stem}.results{ext}"] = frame_bytes(result.tidy(), data_fmt)
    summary = uncertainty_files.summary_file_frame(result)
    files[out_dir / f"{stem}.summary{ext}"] = frame_bytes(summary, data_fmt)
    if result.n_draws >= 2 and "sector-quantiles" in extras:
        files[out_dir / f"{stem}.sector_quantiles{ext}"] = frame_bytes(
            uncertainty_files.sector_quantiles_frame(result), data_fmt)
    if result.n_draws >= 2 and "sensitivity" in extras:
        files[out_dir / f"{stem}.sensitivity{ext}"] = frame_bytes(
            uncertainty_files.sensitivity_frame(result), data_fmt)
    if comparisons:
        files[out_dir / f"{stem}.claims{ext}"] = frame_bytes(comparisons_frame(comparisons),
                                                             data_fmt)
    appraisal = appraisal_frame(result)
    if appraisal is not None:
        files[out_dir / f"{stem}.appraisal{ext}"] = frame_bytes(appraisal, data_fmt)
    for name, frame in energy.energy_frames(result).items():  # physical account
        files[out_dir / f"{stem}.{name}{ext}"] = frame_bytes(frame, data_fmt)
    files[out_dir / f"{stem}.provenance.json"] = provenance(path, result, argv, options).to_json()
    if fmt == "html":
        files[out_dir / f"{stem}.report.html"] = report.render_html(result,
                                                                   comparisons=comparisons)
    elif fmt == "md":
        folder = f"{stem}.report_files"
        text, charts = report.render_markdown(result, comparisons=comparisons, chart_dir=folder)
        for name, blob in charts.items():
            files[out_dir / folder / name] = blob
        files[out_dir / f"{stem}.report.md"] = text
    return files


def provenance(path: Path, result: ScenarioResult, argv: list[str],
               options: dict[str, Any]) -> Provenance:
    """What a run used: scenario file and hash, the table actually solved (with its checksum),
    the draws and seed actually used, the command and the options."""
    meta = result.table
    table_info: dict[str, Any] = {
        "name": meta.name, "region": meta.region, "year": meta.year, "currency": meta.currency,
        "unit": meta.unit, "price_year": meta.price_year, "price_basis": meta.price_basis,
        "employment_unit": meta.employment_unit, "sha256": result.table_checksum,
        "provenance": dict(meta.provenance),
    }
    opts = dict(options)
    opts["units"] = result.units_for()
    opts["draws"] = result.n_draws
    opts["seed"] = result.seed
    if result.draws is not None:  # what the draws actually used (scenario or command line)
        opts["quantiles"] = list(result.draws.quantile_levels)
        opts["keep_sectors"] = bool(getattr(result.draws, "has_sectors", False))
    return Provenance(
        scenario_file=safe_path(path),
        scenario_sha256=_scenario_sha256(path, result),
        table=table_info,
        impactsim_version=__version__,
        command=["impactsim", *argv],
        options=opts,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
