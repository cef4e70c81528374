"""Every example in README.md and docs/*.md runs as written, and shown outputs match the code.

One test per page. The page's ```python blocks run in order, in one fresh interpreter, from the
repository root, as one script named ``__main__`` (so ``if __name__ == "__main__":`` behaves as
it does for a user's script). A block fenced ```python notest is a deliberate fragment and is
skipped. A block fenced ```text output right after a python block is that block's printed
output: it must equal what the block prints (trailing spaces and blank lines at either end are
ignored; a line ``...`` stands for any number of lines).

A ```console block whose first command is ``$ impactsim ...`` is run too (the installed
command, or ``python -m impactsim`` from src/); every line it shows must be a line of the real
output, in the same order (so a shown excerpt may leave lines out, but cannot drift). Blocks
fenced ```console notest (commands that need a made-up file, timings) are not run.

Run ``python tests/test_docs_examples.py`` for a summary: pages, blocks run, outputs checked;
``--update`` regenerates the complete printed outputs after a change of the code moved them.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "docs" / "tutorial").glob("*.md")]
)
MARK = "@@impactsim-docs-block-end@@"
FENCE = re.compile(r"^(`{3,})(.*)$")
#: Width of the terminal the console outputs in the docs were produced with.
COLUMNS = "110"


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown page: fence info, first line number (1-based), body."""

    info: str
    line: int
    body: str

    @property
    def words(self) -> list[str]:
        return self.info.split()

    @property
    def language(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def runnable(self) -> bool:
        return self.language == "python" and "notest" not in self.words[1:]

    @property
    def is_output(self) -> bool:
        return self.language == "text" and "output" in self.words[1:]

    @property
    def is_command(self) -> bool:
        return (
            self.language == "console"
            and "notest" not in self.words[1:]
            and self.body.lstrip().startswith("$ impactsim")
        )


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, in order (nested fences are not used in the docs)."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        ticks, info = m.group(1), m.group(2).strip()
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != ticks:
            j += 1
        found.append(Block(info, start + 1, "\n".join(lines[start:j]) + "\n"))
        i = j + 1
    return found


def python_with_outputs(page: list[Block]) -> list[tuple[Block, Block | None]]:
    """Runnable python blocks, each with the ```text output block that follows it, if any."""
    pairs: list[tuple[Block, Block | None]] = []
    for k, block in enumerate(page):
        if block.runnable:
            nxt = page[k + 1] if k + 1 < len(page) else None
            pairs.append((block, nxt if nxt is not None and nxt.is_output else None))
    return pairs


def script_for(path: Path, pairs: list[tuple[Block, Block | None]]) -> str:
    """One script that runs the blocks in order; each block keeps its line numbers in errors."""
    rel = path.relative_to(ROOT).as_posix()
    sources = ["\n" * (block.line - 1) + block.body for block, _ in pairs]
    parts = ["import sys as _docs_sys", f"_docs_blocks = {sources!r}"]
    for k in range(len(pairs)):
        parts.append(
            f"exec(compile(_docs_blocks[{k}], {rel!r}, 'exec'), globals())\n"
            f"_docs_sys.stdout.flush(); print({MARK!r}, flush=True)"
        )
    return "\n".join(parts) + "\n"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env.update(MPLBACKEND="Agg", COLUMNS=COLUMNS, NO_COLOR="1", TERM="dumb", PYTHONHASHSEED="0")
    return env


def _clean(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: str, actual: str) -> bool:
    """``expected`` equals ``actual`` line by line; an ``...`` line matches any lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == "..." else re.escape(line) + r"\n"
        for line in _clean(expected)
    )
    return re.fullmatch(pattern, "\n".join(_clean(actual)) + "\n") is not None


def missing_lines(shown: list[str], actual: str) -> list[str]:
    """Lines of ``shown`` that are not, in order, lines of ``actual`` (``...`` is skipped)."""
    real = _clean(actual)
    pos, missing = 0, []
    for line in shown:
        if line.strip() in ("...", "…"):
            continue
        try:
            pos = real.index(line, pos) + 1
        except ValueError:
            missing.append(line)
    return missing


def rewrite(path: Path, edits: list[tuple[int, int, list[str]]]) -> None:
    """Replace 1-based line ranges [first, last] of ``path`` with new lines (bottom up)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for first, last, new in sorted(edits, reverse=True):
        lines[first - 1 : last] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def elided(lines: list[str]) -> bool:
    return any(line.strip() in ("...", "…") for line in lines)


def run_page(path: Path, *, update: bool = False) -> tuple[int, int]:
    """Run the python blocks of ``path``; check their outputs. Returns (blocks, outputs).

    With ``update``, a shown output that differs (and leaves nothing out with ``...``) is
    replaced by what the block prints, instead of failing.
    """
    pairs = python_with_outputs(blocks(path))
    if not pairs:
        return 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "docs_page.py"
        script.write_text(script_for(path, pairs), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=environment(),
            capture_output=True, text=True, timeout=900,
        )
    rel = path.relative_to(ROOT)
    assert proc.returncode == 0, f"{rel}: an example failed\n{proc.stdout[-3000:]}{proc.stderr}"
    printed = proc.stdout.split(MARK + "\n")
    checked = 0
    edits: list[tuple[int, int, list[str]]] = []
    for (block, output), out in zip(pairs, printed, strict=False):
        if output is None:
            continue
        checked += 1
        shown = output.body.splitlines() if output.body.strip() else []  # an empty block
        if update and not matches(output.body, out) and not elided(shown):
            edits.append((output.line, output.line + len(shown) - 1, _clean(out)))
            continue
        assert matches(output.body, out), (
            f"{rel}:{output.line}: the output shown differs from what the block at line "
            f"{block.line} prints.\n--- shown\n{output.body}--- printed\n{out}"
        )
    if edits:
        rewrite(path, edits)
        print(f"{rel}: {len(edits)} printed output(s) regenerated")
    return len(pairs), checked


def command_of(block: Block) -> tuple[list[str], list[str]]:
    """The first ``$ impactsim ...`` command of a console block, and the lines it shows."""
    lines = block.body.splitlines()
    args = lines[0].lstrip()[2:].split()
    shown: list[str] = []
    for line in lines[1:]:
        if line.startswith("$ "):
            break
        shown.append(line.rstrip())
    return args, shown


def run_commands(path: Path, *, update: bool = False) -> int:
    """Run the console blocks of ``path``; every line shown must be printed. Returns the count.

    With ``update``, a shown output that leaves nothing out (no ``...``) is replaced by the real
    output when it differs; excerpts are still checked.
    """
    count = 0
    edits: list[tuple[int, int, list[str]]] = []
    for block in blocks(path):
        if not block.is_command:
            continue
        args, shown = command_of(block)
        with tempfile.TemporaryDirectory() as tmp:
            expanded = [sorted(glob.glob(a, root_dir=ROOT)) if "*" in a else [a] for a in args]
            argv = [sys.executable, "-m", "impactsim", *(a for g in expanded[1:] for a in g)]
            # output files and folders (-o X) go to the temporary folder, never the clone
            argv = [
                str(Path(tmp) / a) if i and argv[i - 1] in ("-o", "--output") else a
                for i, a in enumerate(argv)
            ]
            proc = subprocess.run(
                argv, cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=900
            )
        text = (proc.stdout + proc.stderr).replace(tmp + "/", "").replace(tmp, "")
        missing = missing_lines(shown, text)
        if update and missing and not elided(shown):
            edits.append((block.line + 1, block.line + len(shown), _clean(text)))
            count += 1
            continue
        assert not missing, (
            f"{path.relative_to(ROOT)}:{block.line}: `{' '.join(args)}` no longer prints:\n"
            + "\n".join(missing) + f"\n--- printed\n{text}"
        )
        count += 1
    if edits:
        rewrite(path, edits)
        print(f"{path.relative_to(ROOT)}: {len(edits)} command output(s) regenerated")
    return count


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_python_examples_run(path: Path) -> None:
    run_page(path)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_console_outputs_match(path: Path) -> None:
    run_commands(path)


def test_tutorial_notebook_pairs_are_in_sync() -> None:
    """Each tutorial .md (run above) has its jupytext .py twin with the same code cells."""
    jupytext = pytest.importorskip("jupytext")
    for md in sorted((ROOT / "docs" / "tutorial").glob("*.md")):
        py = md.with_suffix(".py")
        assert py.exists(), f"{py.relative_to(ROOT)} is missing: jupytext --sync {md}"
        cells = [
            [c.source for c in jupytext.read(path).cells if c.cell_type == "code"]
            for path in (md, py)
        ]
        assert cells[0] == cells[1], f"{md.name} and {py.name} differ: jupytext --sync {md}"


def test_every_page_has_a_runnable_example() -> None:
    """The runner is not silently empty: most pages have python blocks, and they are found."""
    total = sum(len(python_with_outputs(blocks(p))) for p in PAGES)
    assert total >= 15
    assert matches("a\n...\nz\n", "a\nb\nc\nz\n") and not matches("a\nz\n", "a\nb\nz\n")
    assert missing_lines(["b", "d"], "a\nb\nc\nd\n") == []
    assert missing_lines(["d", "b"], "a\nb\nc\nd\n") == ["b"]


def main(argv: list[str] | None = None) -> int:
    """Run every page and print what was run (used by .ci/run).

    ``--update`` regenerates the printed outputs shown in the pages (complete ones; excerpts
    with ``...`` are only checked) instead of failing on a difference.
    """
    update = "--update" in (sys.argv[1:] if argv is None else argv)
    pages = blocks_run = outputs = commands = 0
    for path in PAGES:
        n, k = run_page(path, update=update)
        c = run_commands(path, update=update)
        if n or c:
            pages += 1
        blocks_run, outputs, commands = blocks_run + n, outputs + k, commands + c
        print(f"{path.relative_to(ROOT)}: {n} python block(s), {k} output(s), {c} command(s)")
    try:
        test_tutorial_notebook_pairs_are_in_sync()
        print("docs/tutorial: .md and .py (jupytext pairs) in sync")
    except pytest.skip.Exception:
        print("docs/tutorial: jupytext not installed, pairing not checked")
    print(
        f"docs examples: {blocks_run} python blocks run on {pages} pages, {outputs} printed "
        f"outputs and {commands} command outputs checked"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
