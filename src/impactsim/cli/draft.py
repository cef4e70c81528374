"""``impactsim draft ARTICLE.txt [--announced YYYY-MM-DD] [--format yaml|json] [-o DIR]``.

:func:`draft_command` (a plain function of streams, registered as the typer command below)
reads the article, drafts records and scenarios (:func:`impactsim.scenario.draft.draft`),
prints or writes them. Bad input gives one line ``impactsim: error: ...`` on ``stderr`` and exit
code 2; nothing usable found is exit 2 too.

Output: without ``-o``, ``--format json`` prints ``{"records": [...], ...}`` (strict JSON) and
``--format yaml`` prints the seed records and the draft scenarios as one YAML stream (``---``
between documents). With ``-o DIR`` it writes ``DIR/seeds/<id>.yaml`` per record and
``DIR/<scenario name>.yaml`` per scenario (plus ``DIR/records.json`` with ``--format json``),
each written atomically (temporary file, then ``os.replace``), and prints one line per file.

A file in ``DIR`` is replaced only when ``impactsim draft`` wrote it and nobody changed it
since: ``DIR/.impactsim-draft.json`` records the SHA-256 of every file written; a file that is
not listed, or whose content changed (a draft the user edited), makes the command refuse before
writing anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from .._files import FileRefused, read_regular_file
from ..errors import ImpactsimError
from .app import DebugOpt, app

FORMATS = ("yaml", "json")
MANIFEST = ".impactsim-draft.json"
#: Characters escaped as ``\uXXXX`` in JSON sent to a terminal (C1 controls, line separators,
#: bidirectional controls); C0 controls are escaped by JSON itself.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class DraftOutputError(ImpactsimError):
    """The ``-o`` folder holds a file the command must not replace."""


def _say(text: str) -> str:
    from ..present.escape import terminal_text

    return terminal_text(text, one_line=True)


def json_text(data: Any) -> str:
    """Strict JSON (no NaN or Infinity) that is safe to print on a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


def _read(article: Path) -> str:
    """The article's text: a regular file of at most 4 MB, UTF-8 (opened non-blocking, so a
    FIFO cannot hang the command)."""
    from ..scenario.draft import MAX_CHARS, DraftError
    from ..scenario.loading import display_path

    where = display_path(article)
    limit = 4 * MAX_CHARS
    try:
        raw = read_regular_file(article, limit=limit)
    except FileRefused as why:
        problem = {
            "not-found": "no such file; fix: give the path of a text file",
            "folder": "is a folder; fix: give the path of a text file",
            "not-regular": f"is {why.kind}; fix: save the article to a file and give its path",
            "too-large": f"more than {limit:,} bytes is too large to be one article; fix: split "
                         "it or pass only the relevant part",
            "unreadable": f"cannot read ({why.strerror}); fix: "
                          + ("check the path and permissions" if why.stage == "open"
                             else "check the file"),
        }[why.reason]
        raise DraftError(f"{where}: {problem}") from None
    if b"\x00" in raw[:65536]:
        raise DraftError(f"{where}: looks binary (NUL bytes); fix: give plain text (UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError(
            f"{where}: not UTF-8 text (byte {exc.start}); fix: save the article as UTF-8"
        ) from None


def _manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _check_free(out: Path, planned: dict[str, str]) -> None:
    """Refuse (before writing anything) when a planned file exists and was not written by
    ``impactsim draft`` or was changed since."""
    from ..scenario.loading import display_path

    known = _manifest(out)
    for rel, text in planned.items():
        p = out / rel
        if not p.exists() and not p.is_symlink():
            continue
        if p.is_symlink() or not p.is_file():
            raise DraftOutputError(f"{display_path(p)}: exists and is not a regular file; fix: "
                                   "move it away or choose another -o folder")  # fmt: skip
        current = p.read_bytes()
        if current == text.encode("utf-8"):
            continue
        if known.get(rel) != hashlib.sha256(current).hexdigest():
            raise DraftOutputError(
                f"{display_path(p)}: exists and was changed since impactsim draft wrote it (or "
                "was not written by it); nothing was written; fix: move it away, or choose "
                "another -o folder"
            )


def _outputs(result: Any, seeds: list[dict[str, Any]], source: str,
             fmt: str) -> dict[str, str]:  # fmt: skip
    import yaml
    from pydantic import ValidationError

    from ..scenario.draft import DraftError
    from ..scenario.draft.yamltext import yaml_document
    from ..scenario.seeds import SeedRecord

    planned: dict[str, str] = {}
    for s in seeds:
        text = yaml_document(s, comment=f"Seed record drafted by `impactsim draft` from "
                             f"{source}; review before use.")  # fmt: skip
        try:  # parsed back and validated before it is written, like the scenarios
            SeedRecord.model_validate(yaml.safe_load(text))
        except ValidationError as exc:
            raise DraftError(f"the seed record {s['id']} does not validate ({exc.error_count()} "
                             "error(s)); this is a bug in the draft writer; fix: report it with "
                             "the article") from None  # fmt: skip
        planned[f"seeds/{s['id']}.yaml"] = text
    for name, text in result.scenarios:
        planned[f"{name}.yaml"] = text
    if fmt == "json":
        planned["records.json"] = json_text(result.to_json())
    return planned


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
    from ..scenario.loading import display_path

    err = stderr if stderr is not None else sys.stderr
    article = Path(article)
    source = display_path(article.name)
    try:
        if fmt not in FORMATS:
            raise DraftError(
                f"--format: {fmt!r} is not one of {', '.join(FORMATS)}; fix: use "
                "--format yaml or --format json"
            )
        text = check_text(_read(article), where=display_path(article))
        result = draft(text, announced=announced, source=source)
        if not result.records:
            raise DraftError(
                f"{display_path(article)}: no announced investment found (no amount of money "
                "to be spent by an investor); fix: check the text names an amount such as "
                "'$5 billion' or '20조 원'"
            )
        seeds = result.seeds(source_file=source)
        planned = _outputs(result, seeds, source, fmt)
        if output is not None:
            _check_free(Path(output), planned)
    except (ImpactsimError, ValueError) as exc:
        print(f"impactsim: error: {_say(str(exc))}", file=err)
        return 2
    if output is None:
        if fmt == "json":
            stdout.write(planned["records.json"])
        else:
            docs = [v for k, v in planned.items() if k.startswith("seeds/")]
            docs += [t for _, t in result.scenarios]
            stdout.write("---\n".join(docs))
        for n in result.notes:
            print(f"note: {_say(n)}", file=err)
        return 0
    out = Path(output)
    try:
        known = _manifest(out)
        written = []
        for rel, text_ in planned.items():
            _write(out / rel, text_)
            known[rel] = _sha(text_)
            written.append(out / rel)
        _write(out / MANIFEST, json.dumps({"files": known}, indent=1, sort_keys=True) + "\n")
    except OSError as exc:
        print(f"impactsim: error: {_say(display_path(out))}: cannot write ({exc.strerror}); "
              "fix: choose a writable -o folder", file=err)  # fmt: skip
        return 2
    for p in written:
        stdout.write(f"wrote {_say(display_path(p))}\n")
    for n in result.notes:
        print(f"note: {_say(n)}", file=err)
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
        "--format", "-f", help="yaml: seed records and draft scenarios; json: the records.")
    ] = "yaml",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Folder for seeds/<id>.yaml and the draft scenarios (atomic; "
        "never replaces a file the user changed).")
    ] = None,
    debug: DebugOpt = False,
) -> None:
    """Draft seed records and scenarios from an announcement's text, quoting every value.

    Every value read from the text carries its quote and character span; every value that is
    not in the text is marked as an assumption with the default used. One scenario per
    announced investment. Exit 2 when nothing usable is found.

    Example: `impactsim draft article.txt --announced 2025-10-29`
    """
    code = draft_command(article, announced=announced, fmt=fmt, output=output,
                         stdout=sys.stdout)
    if code:
        raise typer.Exit(code)
