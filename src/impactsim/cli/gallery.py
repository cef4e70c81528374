"""``impactsim gallery SCENARIOS… -o DIR``: the claim-checker gallery (docs/gallery.md).

Runs each scenario (with its draws), computes its per-line effects
(:func:`impactsim.simulate.line_effects`), compares its claims and hands everything to
:mod:`impactsim.present.gallery`, which writes ``DIR/index.html`` and one page per scenario.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import ImpactsimError
from .app import (
    DebugOpt,
    DrawsOpt,
    QuietOpt,
    SeedOpt,
    app,
    guard,
    load_scenario,
    run_one,
    stem_names,
)


def _seed_folder(path: Path, given: Path | None) -> Path | None:
    if given is not None:
        return given
    for cand in (path.parent / "seeds", path.parent.parent / "seeds"):
        if cand.is_dir():
            return cand
    return None


@app.command(epilog=(
    "Examples:\n\n"
    "`impactsim gallery scenarios/*.yaml -o gallery/`\n\n"
    "`impactsim gallery scenarios/korea.yaml -o out/ --draws 200`"
))
def gallery(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML file(s).",
                                                    show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder for the site (index.html + one page per scenario); "
        "written atomically, its old content replaced.")],
    seeds: Annotated[Path | None, typer.Option(
        "--seeds", help="Folder of seed records (default: seeds/ beside or above the "
        "scenario files).")] = None,
    draws: DrawsOpt = None,
    seed: SeedOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Build the claim-checker gallery: one page per announcement (its words and source, the
    scenario, headline with ranges, claims, where effects land, charts, and an explorer that
    recomputes the headline in the browser) and an index setting them side by side.

    Pages are self-contained HTML (inline script, style and charts) and work from file://.
    """
    with guard(debug=debug):
        from ..present.gallery import GalleryEntry
        from ..present.gallery_site import write_gallery
        from ..scenario.claims import compare_claims
        from ..scenario.loading import load_yaml_file
        from ..scenario.seeds import load_seeds
        from ..simulate import line_effects

        stems = stem_names(scenarios)
        entries = []
        cache: dict[Path, dict[str, object]] = {}
        for path, stem in zip(scenarios, stems, strict=True):
            scenario = load_scenario(path)
            data, _ = load_yaml_file(path)
            try:
                result = run_one(scenario, induced=True, draws=draws, seed=seed, executor=None,
                                 dask_address=None, progress=not quiet)
            except ImpactsimError as exc:
                if draws is None:
                    raise
                # e.g. provincial runs have no draws yet: that page shows no ranges
                typer.echo(f"impactsim: note: {path}: {exc}; shown without draws", err=True)
                result = run_one(scenario, induced=True, draws=None, seed=seed, executor=None,
                                 dask_address=None, progress=False)
            folder = _seed_folder(path, seeds)
            records: dict[str, object] = {}
            if folder is not None:
                if folder not in cache:
                    cache[folder] = dict(load_seeds(folder))
                records = cache[folder]
            wanted = list(dict.fromkeys([*scenario.seeds, *(inv.seed for inv in
                                                            scenario.investments if inv.seed)]))
            entries.append(GalleryEntry(
                source=str(path), result=result, lines=line_effects(scenario), data=data,
                seeds=tuple(records[s] for s in wanted if s in records),
                comparisons=tuple(compare_claims(result)), page=f"{stem}.html",
            ))
        written = write_gallery(entries, output)
        if not quiet:
            for p in written:
                if p.suffix == ".html":
                    typer.echo(f"wrote {p}")
