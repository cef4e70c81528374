"""``impactsim draft ARTICLE.txt [--announced YYYY-MM-DD] [--format yaml|json] [-o DIR]``.

:func:`draft_command` (a plain function of streams, registered as the typer command below)
reads the article, drafts records and a scenario (:func:`impactsim.scenario.draft.draft`),
prints or writes them. Bad input gives one line on ``stderr`` and exit code 2; nothing usable
found is exit 2 too.

Output: without ``-o``, ``--format json`` prints ``{"records": [...], ...}`` and ``--format
yaml`` prints the seed records and the draft scenario as one YAML stream (``---`` between
documents). With ``-o DIR`` it writes ``DIR/seeds/<id>.yaml`` per record and
``DIR/<scenario name>.yaml`` (plus ``DIR/records.json`` with ``--format json``), each written
atomically (temporary file, then ``os.replace``), and prints one line per file.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, TextIO

import typer
import yaml

from ..errors import ImpactsimError
from .app import DebugOpt, app

FORMATS = ("yaml", "json")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _seed_yaml(seed: dict[str, object], source: str) -> str:
    head = f"# Seed record drafted by `impactsim draft` from {source}; review before use.\n"
    return head + yaml.safe_dump(seed, sort_keys=False, allow_unicode=True, width=100)


def _read(article: Path) -> str:
    from ..scenario.draft import MAX_CHARS, DraftError

    if not article.is_file():
        raise DraftError(f"{article}: no such file; fix: give the path of a text file")
    size = article.stat().st_size
    if size > 4 * MAX_CHARS:
        raise DraftError(
            f"{article}: {size:,} bytes is too large to be one article; fix: split "
            "it or pass only the relevant part"
        )
    raw = article.read_bytes()
    if b"\x00" in raw[:65536]:
        raise DraftError(f"{article}: looks binary (NUL bytes); fix: give plain text (UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError(
            f"{article}: not UTF-8 text (byte {exc.start}); fix: save the article as UTF-8"
        ) from None


def draft_command(
    article: Path,
    *,
    announced: str | None,
    fmt: str,
    output: Path | None,
    stdout: TextIO,
    stderr: TextIO | None = None,
) -> int:
    """Run ``impactsim draft``; returns the exit code (0 ok, 2 bad input or nothing found)."""
    from ..scenario.draft import DraftError, check_text, draft

    err = stderr if stderr is not None else sys.stderr
    article = Path(article)
    try:
        if fmt not in FORMATS:
            raise DraftError(
                f"--format: {fmt!r} is not one of {', '.join(FORMATS)}; fix: use "
                "--format yaml or --format json"
            )
        text = check_text(_read(article), where=str(article))
        result = draft(text, announced=announced, source=article.name)
    except ImpactsimError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if not result.records:
        print(f"error: {article}: no announced investment found (no amount of money to be spent "
              f"by an investor); fix: check the text names an amount such as '$5 billion' or "
              f"'20조 원'", file=err)  # fmt: skip
        return 2
    seeds = result.seeds(source_file=article.name)
    if output is None:
        if fmt == "json":
            stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
        else:
            docs = [_seed_yaml(s, article.name) for s in seeds]
            if result.scenario_yaml:
                docs.append(result.scenario_yaml)
            stdout.write("---\n".join(docs))
        for n in result.notes:
            print(f"note: {n}", file=err)
        return 0
    out = Path(output)
    try:
        written = []
        for s in seeds:
            p = out / "seeds" / f"{s['id']}.yaml"
            _write(p, _seed_yaml(s, article.name))
            written.append(p)
        if result.scenario_yaml:
            name = yaml.safe_load(result.scenario_yaml)["name"]
            p = out / f"{name}.yaml"
            _write(p, result.scenario_yaml)
            written.append(p)
        if fmt == "json":
            p = out / "records.json"
            _write(p, json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
            written.append(p)
    except OSError as exc:
        print(
            f"error: {out}: cannot write ({exc.strerror}); fix: choose a writable -o folder",
            file=err,
        )
        return 2
    for p in written:
        stdout.write(f"wrote {p}\n")
    for n in result.notes:
        print(f"note: {n}", file=err)
    return 0


@app.command("draft", epilog=(
    "Examples:\n\n`impactsim draft article.txt --announced 2025-10-29`\n\n"
    "`impactsim draft article.txt --format json`\n\n`impactsim draft article.txt -o drafts/`"
))
def draft_cli(
    article: Annotated[Path, typer.Argument(help="The announcement (press text, UTF-8).",
                                            show_default=False)],
    announced: Annotated[str | None, typer.Option(
        "--announced", help="Date of the announcement (YYYY-MM-DD), for periods such as 'over "
        "the next five years'.")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="yaml: seed records and a draft scenario; json: the records.")
    ] = "yaml",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Folder for seeds/<id>.yaml and the draft scenario (atomic).")
    ] = None,
    debug: DebugOpt = False,
) -> None:
    """Draft seed records and a scenario from an announcement's text, quoting every value.

    Every value read from the text carries its quote and character span; every value that is
    not in the text is marked as an assumption with the default used. Exit 2 when nothing
    usable is found.

    Example: `impactsim draft article.txt --announced 2025-10-29`
    """
    code = draft_command(article, announced=announced, fmt=fmt, output=output,
                         stdout=sys.stdout)
    if code:
        raise typer.Exit(code)
