"""Time of ``impactsim draft`` on the seed article, ordinary text and adversarial text families.

Each run is a fresh ``python -m impactsim draft FILE --format json`` subprocess, startup
included, stopped after ``--timeout`` seconds of wall time (reported as ``>T``). Each cell shows
the child's processor time (user + system), which a busy shared machine inflates much less
than wall time, and the wall time in parentheses. The families are
the hostile inputs a text reader must stay linear on: long runs of one punctuation mark,
repeated capitalised words, long numbers after a currency sign, many amounts in one sentence.
Sizes are 10 kB, 100 kB and 1 MB (characters) unless ``--sizes`` says otherwise; the last
column is the time per character of the largest size over that of the smallest (about 1 when
the cost is linear, startup aside).

    python benchmarks/draft_reader.py [--timeout 30] [--sizes 10000,100000,1000000]
        [--families dots,...] [--seed-article PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = Path("/work/shared/seeds/2025-10-29-korea-ai-investments.txt")
ORDINARY = (
    "Samsung Electronics said on Tuesday it will invest $17 billion (about 20 trillion won) to "
    "build a new chip fab in Taylor, Texas, by 2026. The company has invested more than $18 "
    "billion in Austin since 1996. 삼성전자는 경기도 평택캠퍼스에 2028년까지 약 30조 원을 "
    "투자한다고 12일 밝혔다. The plant is expected to create 2,000 jobs.\n"
)


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


#: Family name → text of about ``n`` characters.
FAMILIES: dict[str, Callable[[int], str]] = {
    "dots": lambda n: "Samsung will invest $5 billion" + _fill(".", n),
    "bang-question": lambda n: "Samsung will invest $5 billion" + _fill("!?", n),
    "A-space": lambda n: _fill("A ", n) + " will invest $5 billion.",
    "capitalised-words": lambda n: _fill("Alpha Beta Gamma Delta ", n) + "invest $5 billion.",
    "caps-dateline": lambda n: _fill("A", n) + ", Texas - Samsung will invest $5 billion.",
    "digits-after-dollar": lambda n: "Samsung will invest $" + _fill("9", n) + " billion.",
    "digits-before-jo": lambda n: "삼성전자는 " + _fill("9", n) + "조 원을 투자한다.",
    "spaces-between-amounts": lambda n: "Samsung will invest $5 billion" + " " * n + "$6 billion.",
    "amounts-in-one-sentence": lambda n: "Samsung will invest "
    + _fill("$5 billion and ", n)
    + "more.",
    "korean-amounts-in-a-row": lambda n: "삼성전자는 " + _fill("1조 5천억 ", n) + "원을 투자한다.",
    "korean-range-ends": lambda n: "삼성전자는 " + _fill("5천억~", n) + "2조원을 투자한다.",
    "suffix-range-ends": lambda n: "Samsung will invest " + _fill("5 to ", n) + "7 trillion won.",
    "ordinary": lambda n: _fill(ORDINARY, n),
}


def sized(name: str, n: int) -> str:
    """Text of family ``name``, cut or padded to exactly ``n`` characters (the head and the
    tail, with the repeated middle shortened, so both amounts survive)."""
    text = FAMILIES[name](n)
    if len(text) <= n:
        return text
    head, tail = text[:40], text[-40:]
    return head + text[40 : 40 + n - 80] + tail


def run(path: Path, timeout: float) -> tuple[float, float] | None:
    """(processor seconds, wall seconds) of one ``impactsim draft`` process, or ``None``."""
    env = dict(os.environ, MPLBACKEND="Agg")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-m", "impactsim", "draft", str(path), "--format", "json",
             "--announced", "2025-01-01"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, env=env,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), wall


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--families", default=",".join(FAMILIES))
    p.add_argument("--seed-article", type=Path, default=SEED)
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        if args.seed_article.is_file():
            t = run(args.seed_article, args.timeout)
            shown = f">{args.timeout:g}s" if t is None else f"{t[0]:.2f} s ({t[1]:.2f} s wall)"
            print(f"seed article ({args.seed_article.name}): {shown}")
        print(f"{'family (cpu s (wall s))':<26}" + "".join(f"{s:>14,}" for s in sizes)
              + "   ratio/char (cpu)")
        for name in args.families.split(","):
            cells = []
            times: list[float | None] = []
            for n in sizes:
                f = Path(tmp) / f"{name}-{n}.txt"
                f.write_text(sized(name, n), encoding="utf-8")
                t = run(f, args.timeout)
                times.append(None if t is None else t[0])
                cells.append(f">{args.timeout:g}s" if t is None else f"{t[0]:.1f}({t[1]:.0f})")
            ratio = ""
            if times[0] and times[-1]:
                ratio = f"{(times[-1] / sizes[-1]) / (times[0] / sizes[0]):.2f}"
            print(f"{name:<26}" + "".join(f"{c:>14}" for c in cells) + f"   {ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
