"""`impactsim draft`, as a function (`draft_command`) and as the command: output, files, and
bad input.

Bad input (empty, binary, not UTF-8, too large, missing, no amounts, bad --format or
--announced) gives one line on stderr naming the file and the fix, and exit code 2.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import impactsim as ims
from impactsim.cli.draft import draft_command
from impactsim.scenario.draft import MAX_CHARS
from impactsim.scenario.seeds import load_seeds

TEXTS = Path(__file__).parent / "draft_texts"
SEED_ARTICLE = TEXTS / "seed-korea-ai-2025-10-29.txt"


def run(path: Path, **kw: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    opts = {"announced": None, "fmt": "yaml", "output": None} | kw
    code = draft_command(path, stdout=out, stderr=err, **opts)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_json_records(tmp_path: Path) -> None:
    code, out, _ = run(SEED_ARTICLE, fmt="json")
    assert code == 0
    data = json.loads(out)
    rec = data["records"][0]
    for key in ("investor", "amounts", "period", "places", "countries", "pattern", "claims"):
        assert key in rec
    a = rec["amounts"][0]
    assert a["value"] == 5e9 and a["currency"] == "USD" and a["qualifier"] == "more-than"
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    assert text[a["span"]["start"] : a["span"]["end"]] == a["span"]["text"]
    assert set(rec["period"]) >= {"start", "end", "as_stated"}
    claims = [c for r in data["records"] for c in r["claims"]]
    assert {c["measure"] for c in claims} <= {"employment", "value_added", "output", "income"}


def test_yaml_stream_to_stdout() -> None:
    code, out, _ = run(SEED_ARTICLE)
    assert code == 0
    docs = list(yaml.safe_load_all(out))
    assert docs[-1]["schema_version"] == 1 and len(docs) == 6


def test_writes_seeds_and_a_scenario_that_validate(tmp_path: Path) -> None:
    code, out, _ = run(SEED_ARTICLE, output=tmp_path, fmt="json")
    assert code == 0
    written = [Path(ln.split(" ", 1)[1]) for ln in out.splitlines()]
    assert all(p.exists() for p in written)
    seeds = load_seeds(tmp_path / "seeds")
    assert len(seeds) == 5
    (scen,) = [p for p in tmp_path.glob("*.yaml")]
    sc = ims.Scenario.from_yaml(scen)
    assert set(sc.seeds) == set(seeds)
    assert json.loads((tmp_path / "records.json").read_text(encoding="utf-8"))["records"]
    # atomic writes leave no temporary files behind
    assert not [p for p in tmp_path.rglob(".*")]


def test_announced_option_changes_relative_periods() -> None:
    _, out, _ = run(SEED_ARTICLE, fmt="json", announced="2024-03-01")
    rec = next(r for r in json.loads(out)["records"] if "five years" in r["period"]["as_stated"])
    assert (rec["period"]["start"], rec["period"]["end"]) == (2024, 2028)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"\xff\xfe\xfa not utf-8 \xff", "UTF-8"),
        (b"Several chipmakers are considering plants in Korea; no figures.", "no announced"),
        ((TEXTS / "en-context-only.txt").read_bytes(), "no announced"),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path: Path, content: bytes, needle: str) -> None:
    p = tmp_path / "article.txt"
    p.write_bytes(content)
    code, out, err = run(p)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and needle in err and "fix:" in err
    assert "Traceback" not in err


def test_huge_input(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    p.write_text("AWS will invest $5 billion in Incheon. " * (MAX_CHARS // 39 + 10), "utf-8")
    code, _, err = run(p)
    assert code == 2 and "split" in err and err.count("\n") == 1


def test_missing_file_bad_format_bad_date(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nope.txt")
    assert code == 2 and "no such file" in err
    code, _, err = run(SEED_ARTICLE, fmt="xml")
    assert code == 2 and "--format" in err
    code, _, err = run(SEED_ARTICLE, announced="29/10/2025")
    assert code == 2 and "YYYY-MM-DD" in err


def test_unwritable_output(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(SEED_ARTICLE, output=blocker / "sub")
    assert code == 2 and err.count("\n") == 1


def test_as_a_process() -> None:
    code = (
        "import sys; from pathlib import Path; from impactsim.cli.draft import draft_command;"
        "sys.exit(draft_command(Path(sys.argv[1]), announced=None, fmt='json', output=None,"
        " stdout=sys.stdout))"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    ok = subprocess.run([sys.executable, "-c", code, str(SEED_ARTICLE)], capture_output=True,
                        text=True, env=env, check=False)  # fmt: skip
    assert ok.returncode == 0 and json.loads(ok.stdout)["records"]
    bad = subprocess.run([sys.executable, "-c", code, os.devnull], capture_output=True,
                         text=True, env=env, check=False)  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_api_errors_are_impactsim_errors() -> None:
    from impactsim.errors import ImpactsimError
    from impactsim.scenario.draft import DraftError, draft

    for bad in (b"bytes", None, "", "\x00abc"):
        with pytest.raises(DraftError) as info:
            draft(bad)  # type: ignore[arg-type]
        assert isinstance(info.value, ImpactsimError) and "fix:" in str(info.value)
    with pytest.raises(DraftError, match="YYYY-MM-DD"):
        draft("Samsung will invest $5 billion.", announced="October 2025")


def test_the_command_line() -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    ok = subprocess.run([sys.executable, "-m", "impactsim", "draft", str(SEED_ARTICLE),
                         "--format", "json"], capture_output=True, text=True, env=env,
                        check=False)  # fmt: skip
    assert ok.returncode == 0 and json.loads(ok.stdout)["records"]
    bad = subprocess.run([sys.executable, "-m", "impactsim", "draft", os.devnull],
                         capture_output=True, text=True, env=env, check=False)  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
