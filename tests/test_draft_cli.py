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
from impactsim.cli.draft import MANIFEST, draft_command
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
    # five seed records, then one scenario per announced investment
    assert [d.get("schema_version") for d in docs] == [None] * 5 + [1] * 5


def test_writes_seeds_and_a_scenario_that_validate(tmp_path: Path) -> None:
    code, out, _ = run(SEED_ARTICLE, output=tmp_path, fmt="json")
    assert code == 0
    written = [Path(ln.split(" ", 1)[1]) for ln in out.splitlines()]
    assert all(p.exists() for p in written)
    seeds = load_seeds(tmp_path / "seeds")
    assert len(seeds) == 5
    scens = sorted(tmp_path.glob("*.yaml"))
    assert len(scens) == 5
    modelled = [s for p in scens for s in ims.Scenario.from_yaml(p).seeds]
    assert sorted(modelled) == sorted(seeds)
    assert json.loads((tmp_path / "records.json").read_text(encoding="utf-8"))["records"]
    # atomic writes leave no temporary files behind (the manifest is the only dot-file)
    assert [p.name for p in tmp_path.rglob(".*")] == [MANIFEST]


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


def test_errors_start_with_the_program_name(tmp_path: Path) -> None:
    for args in ({"path": tmp_path / "nope.txt"}, {"path": SEED_ARTICLE, "fmt": "xml"}):
        code, out, err = run(args.pop("path"), **args)  # type: ignore[arg-type]
        assert code == 2 and out == "" and err.startswith("impactsim: error: ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_not_read_and_not_called_missing(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    code, _, err = run(fifo)  # no writer: reading would block forever
    assert code == 2 and "pipe (FIFO)" in err and "no such file" not in err
    code, _, err = run(tmp_path)
    assert code == 2 and "folder" in err


def test_an_edited_draft_is_never_overwritten(tmp_path: Path) -> None:
    assert run(SEED_ARTICLE, output=tmp_path)[0] == 0
    # the same command again: the files are ours and unchanged, so they are replaced
    assert run(SEED_ARTICLE, output=tmp_path)[0] == 0
    scen = sorted(tmp_path.glob("draft-*.yaml"))[0]
    edited = scen.read_text(encoding="utf-8") + "# reviewed: keep my changes\n"
    scen.write_text(edited, encoding="utf-8")
    code, out, err = run(SEED_ARTICLE, output=tmp_path)
    assert code == 2 and out == "" and err.count("\n") == 1 and "changed" in err
    assert scen.read_text(encoding="utf-8") == edited
    # a file the command never wrote is not replaced either
    other = tmp_path / "elsewhere"
    other.mkdir()
    foreign = other / scen.name
    foreign.write_text("mine\n", encoding="utf-8")
    code, _, err = run(SEED_ARTICLE, output=other)
    assert code == 2 and foreign.read_text(encoding="utf-8") == "mine\n"
    assert not (other / "seeds").exists()  # refused before writing anything


def test_a_400_digit_amount_is_no_amount_and_json_is_strict(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Samsung will invest $" + "9" * 400 + " billion in Texas. "
                 "SK hynix will invest $4 billion in Indiana.", encoding="utf-8")
    code, out, _ = run(p, fmt="json")
    assert code == 0
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert [a["value"] for r in data["records"] for a in r["amounts"]] == [4e9]
    p.write_text("삼성전자는 " + "9" * 40000 + "조 원을 투자한다.", encoding="utf-8")
    code, out, err = run(p, fmt="json")
    assert code == 2 and "no announced investment" in err and "inf" not in out


def test_a_file_name_cannot_inject_yaml(tmp_path: Path) -> None:
    name = "evil\nuncertainty: {draws: 10000000, seed: 1}\n#\u2028\x85\r.txt"
    p = tmp_path / name
    p.write_text(SEED_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    out_dir = tmp_path / "d"
    assert run(p, output=out_dir)[0] == 0
    for f in out_dir.rglob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert "uncertainty" not in data, f
        # the name is still there, escaped on one line
        body = f.read_text(encoding="utf-8")
        assert "evil\\u000auncertainty" in body or "evil\\nuncertainty" in body, f
    for f in out_dir.glob("draft-*.yaml"):
        assert ims.Scenario.from_yaml(f).uncertainty is None


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Evil\x1b[2J\u202eCorp will invest $5 billion in a chip fab in Texas by 2027.\n"
                 "The line\u2028breaks\u2029here\x85and\rthere.\n", encoding="utf-8")
    for fmt in ("yaml", "json"):
        code, out, err = run(p, fmt=fmt)
        assert code == 0, err
        for bad in ("\x1b", "\u202e", "\u2028", "\u2029", "\x85"):
            assert bad not in out and bad not in err, (fmt, repr(bad))
        docs = list(yaml.safe_load_all(out)) if fmt == "yaml" else [json.loads(out)]
        assert docs


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
