"""Every string leaving impactsim goes through the escaping rule of its sink: a claim's unit in
the Markdown report, sector names with ESC or tab in xlsx and CSV, bidi overrides (U+202E),
zero-width and line-separator characters on the terminal and in JSON."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _adv_support import MINI, main_inprocess
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.present.escape import (
    INVISIBLE,
    md_text,
    spreadsheet_cell,
    terminal_text,
)
from impactsim.present.writers import frame_bytes, json_dumps

#: What no sink may carry raw: C0 (but tab and newline), DEL, C1 and the invisible characters.
_RAW = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{INVISIBLE}]")
#: Characters XML 1.0 (hence xlsx) cannot store: openpyxl's own rule.
_XML_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

HOSTILE = ["\x1b[2Jclear", "tab\there", "\u202egnp.exe", "zero\u200bwidth", "line\u2028sep",
           "bom\ufeff", "\x9b31m", "nul\x00", "\x07bell", "=1+1\x1b"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_terminal_text_never_carries_a_raw_control_or_invisible_character(s: str) -> None:
    out = terminal_text(s)
    assert not _RAW.search(out)
    assert "\n" not in terminal_text(s, one_line=True)
    out.encode("utf-8")  # always encodable (lone surrogates escaped)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_a_spreadsheet_cell_is_storable_in_xlsx_and_never_a_formula(s: str) -> None:
    cell = spreadsheet_cell(s)
    assert not _XML_ILLEGAL.search(cell) and not _RAW.search(cell)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_json_output_parses_back_and_shows_no_invisible_character(s: str) -> None:
    text = json_dumps({"k": s})
    assert not re.search(f"[{INVISIBLE}\\x7f-\\x9f]", text)
    if not re.search("[\ud800-\udfff]", s):
        assert json.loads(text) == {"k": s}


@pytest.mark.parametrize("name", HOSTILE)
def test_sector_names_with_controls_write_to_xlsx_and_csv(name: str) -> None:
    frame = pd.DataFrame({"sector": [name, "ok"], "value": [1.0, 2.0]})
    blob = frame_bytes(frame, "xlsx")  # openpyxl raised IllegalCharacterError for ESC
    back = pd.read_excel(io.BytesIO(blob))
    assert back["value"].tolist() == [1.0, 2.0]
    assert not _RAW.search(str(back["sector"][0]))
    csv = frame_bytes(frame, "csv").decode("utf-8")
    assert not _RAW.search(csv)


def _hostile_table(folder: Path) -> Path:
    z = np.array([[10.0, 5.0], [4.0, 8.0]])
    y = np.array([[30.0], [20.0]])
    va = (z.sum(1) + y[:, 0] - z.sum(0))[None, :]
    table = ims.IOTable.from_arrays(z, y, va, sectors=["\x1b[2Jesc\tname", "\u202egnp.exe"],
                                    employment=np.array([3.0, 2.0]), name="evil",
                                    region="KOR", currency="KRW")
    table.to_dir(folder)
    return folder


def test_cli_multipliers_to_xlsx_with_esc_and_tab_in_sector_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _hostile_table(tmp_path / "evil")
    out = tmp_path / "x.xlsx"
    rc, _, err = main_inprocess(["multipliers", str(table), "-o", str(out)], capsys)
    assert rc == 0, err
    cells = [str(c) for c in pd.read_excel(out).to_numpy().ravel()]
    assert any("\\x1b[2Jesc" in c for c in cells) and any("\\u202e" in c for c in cells)
    rc, out_text, err = main_inprocess(["multipliers", str(table)], capsys)
    assert rc == 0 and not _RAW.search(out_text + err)
    rc, out_text, _ = main_inprocess(["multipliers", str(table), "--json"], capsys)
    assert rc == 0 and not _RAW.search(out_text)


def test_a_claims_unit_is_escaped_in_the_markdown_report(tmp_path: Path) -> None:
    from impactsim.present.report import render_markdown

    unit = "jobs <img src=y onerror=alert(5)> [x](javascript:alert(1)) \u202e"
    scen = ims.Scenario.from_text(
        MINI + "claims:\n  - id: c1\n    text: jobs\n    measure: employment\n"
        "    phase: construction\n    value: 5000\n"
        f"    unit: \"{unit}\"\n    source: press\n")
    text, _ = render_markdown(ims.run(scen))
    assert "<img" not in text and "\u202e" not in text
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # only as escaped text
    assert md_text(unit) in text


@pytest.mark.parametrize("command", [["validate"], ["run", "--format", "csv"], ["run", "-q", "-o"],
                                     ["report", "-o"]])
def test_cli_lines_naming_a_hostile_file_carry_no_raw_character(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    name = "e\x1b[2Jvil\u202e.yaml"
    (tmp_path / name).write_text(MINI, encoding="utf-8")
    argv = [command[0], str(tmp_path / name), *command[1:]]
    if argv[-1] == "-o":
        argv.append(str(tmp_path / (name + (".md" if command[0] == "report" else ".out"))))
    rc, out, err = main_inprocess(argv, capsys)
    assert rc == 0, err
    assert not _RAW.search(out + err)
