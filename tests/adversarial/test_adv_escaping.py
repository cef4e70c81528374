"""Class 5, text reaching other programs: Markdown/HTML escaped, rich markup and control
characters neutralised on the terminal, formula prefixes neutralised in CSV and xlsx."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from _adv_support import MINI
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import impactsim as ims
from impactsim.present.escape import (
    FORMULA_PREFIXES,
    INVISIBLE,
    md_text,
    rich_text,
    spreadsheet_cell,
    terminal_text,
)
from impactsim.present.writers import frame_bytes

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![x](http://evil/track.png)",
    "[/x] closing tag",
    "[link=http://evil]click[/link]",
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[31mred\x1b[0m \x9b31m",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t=tab",
    "\r=cr",
    "a | b | c",
]


def _scenario(payload: str) -> ims.Scenario:
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\e")
    quoted = quoted.replace("\t", "\\t").replace("\r", "\\r").replace("\x9b", "\\x9b")
    text = MINI.replace("title: Minimal test scenario", f'title: "{quoted}"') + (
        "claims:\n  - id: c\n"
        f'    text: "{quoted}"\n'
        "    measure: employment\n    phase: construction\n    value: 5000\n"
        f'    unit: jobs\n    source: "{quoted}"\n'
    )
    return ims.Scenario.from_text(text)


@pytest.fixture(scope="module")
def results() -> dict[str, ims.ScenarioResult]:
    return {p: ims.run(_scenario(p), draws=0) for p in PAYLOADS}


def _no_live_markdown(text: str) -> None:
    assert "<script" not in text and "<img" not in text
    assert not re.search(r"(?<!\\)\]\((javascript:|http://evil)", text)
    assert "\x1b" not in text and "\x9b" not in text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_report_escapes_scenario_text(results: dict, payload: str) -> None:
    from impactsim.present.report import render_markdown
    from impactsim.present.tables import claims_table

    text, _ = render_markdown(results[payload], chart_dir=None)
    _no_live_markdown(text)
    columns = len(claims_table([]).columns)
    for line in text.splitlines():  # table rows keep their column count
        if line.startswith("| claim"):
            assert line.count(" | ") == columns - 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_terminal_output_shows_text_never_interprets_it(results: dict, payload: str) -> None:
    from impactsim.present.terminal import print_result
    from impactsim.scenario.claims import compare_claims

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=160, color_system="truecolor")
    result = results[payload]
    print_result(console, Path("s.yaml"), result, compare_claims(result), top=3)
    out = buf.getvalue()
    assert "\x1b]8;" not in out  # no hyperlink (OSC 8) from [link=…] or raw escapes
    assert "\x9b" not in out and "\x1b[31m" not in out
    if payload.startswith("[/x]"):
        assert "[/x] closing tag" in out


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p.startswith(FORMULA_PREFIXES)])
def test_csv_and_xlsx_cells_are_never_formulas(results: dict, payload: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from impactsim.scenario.claims import compare_claims, comparisons_frame

    frame = comparisons_frame(compare_claims(results[payload]))
    csv = pd.read_csv(io.BytesIO(frame_bytes(frame, "csv")), dtype=str, keep_default_na=False)
    for cell in csv.to_numpy().ravel():
        assert not cell.startswith(FORMULA_PREFIXES), cell
    book = openpyxl.load_workbook(io.BytesIO(frame_bytes(frame, "xlsx")))
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@settings(max_examples=200, deadline=None)
@given(text=_TEXT)
def test_terminal_text_never_carries_control_characters(text: str) -> None:
    out = terminal_text(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    one = terminal_text(text, one_line=True)
    assert "\n" not in one and "\t" not in one
    console = Console(file=io.StringIO(), force_terminal=True, width=200)
    console.print(rich_text(text))  # never a MarkupError


@settings(max_examples=200, deadline=None)
@given(text=_TEXT)
def test_md_text_has_no_raw_html_or_link_syntax_and_keeps_the_text(text: str) -> None:
    out = md_text(text)
    assert "<" not in out and ">" not in out
    assert not re.search(r"(?<!\\)[\[\]`|]", out)
    visible = re.sub(r"\\([\\`*_\[\]|#~!])", r"\1", html.unescape(out))
    expected = terminal_text(text).replace("\r", " ").replace("\n", " ")
    assert visible == expected


@settings(max_examples=200, deadline=None)
@given(text=_TEXT)
def test_spreadsheet_cells_never_start_a_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert not cell.startswith(FORMULA_PREFIXES)
    # the text itself, with control and invisible characters shown as escapes (xlsx cannot
    # store them), and an apostrophe in front where it would start a formula
    shown = re.sub(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{INVISIBLE}]",
                   lambda m: (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                              else f"\\u{ord(m.group()):04x}"), text)
    assert cell in (shown, "'" + shown)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_json_output_is_terminal_safe_and_the_same_value(text: str) -> None:
    """--json output: no raw control character (C0 or C1) nor lone surrogate, same value."""
    import json

    from impactsim.present.writers import json_dumps

    out = json_dumps({"title": text})
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", out)
    assert json.loads(out) == {"title": text}
    out.encode("utf-8")  # always encodable
