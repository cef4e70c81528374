"""Text made safe for the program that reads it: terminals, rich markup, Markdown/HTML, CSV/xlsx.

Scenario files carry free text (titles, claim texts, sources, notes, unknown keys quoted in
error messages) that ends up in other programs. Each target has its own rule, applied where the
text leaves impactsim:

* terminal — :func:`terminal_text` replaces control characters (C0 except tab and newline, DEL,
  C1, which carry ANSI/OSC escape sequences) by visible ``\\xNN`` escapes, and the invisible
  characters that reorder or hide text (:data:`INVISIBLE`: bidi overrides such as U+202E,
  zero-width characters, U+2028/U+2029) by ``\\uXXXX``; :func:`rich_text`
  also escapes rich markup (``[bold]``, ``[link=…]``) so text is shown, never interpreted;
* Markdown — :func:`md_text` HTML-escapes ``& < >`` (Markdown renderers pass raw HTML
  through) and backslash-escapes the Markdown punctuation that builds links, images, code,
  emphasis and table cells;
* CSV and xlsx — :func:`spreadsheet_cell` neutralises formula prefixes (``= + - @``, tab and
  carriage return at the start of a text cell) by a leading apostrophe, the OWASP rule against
  CSV injection, and shows control and invisible characters as escapes (xlsx cannot store ESC).
"""

from __future__ import annotations

import html
import math
import os
import re
from typing import Any

from rich.markup import escape as _rich_escape

#: Invisible characters that reorder or hide text on a terminal or in a rendered page: the
#: bidirectional overrides, embeddings and isolates (U+202E shows "exe.txt" as "txt.exe"),
#: zero-width characters, the line and paragraph separators (a new line to many programs),
#: the byte-order mark. Shown as ``\uXXXX`` like controls.
INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{INVISIBLE}]")
_CONTROLS_ONE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{INVISIBLE}]")
#: What a cell of a CSV or xlsx file may not carry as is: controls (XML 1.0 forbids most C0
#: characters, so openpyxl refuses them) and the invisible characters above.
_CELL_CONTROLS = _CONTROLS
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~!])")
#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: Any, *, one_line: bool = False) -> str:
    """``text`` with control characters shown as ``\\xNN`` (so no escape sequence reaches the
    terminal); with ``one_line`` newlines and tabs too. Lone surrogates (from file names that
    are not UTF-8) become ``\\udcNN`` so the text can always be encoded."""
    s = str(text)
    s = (_CONTROLS_ONE_LINE if one_line else _CONTROLS).sub(_visible, s)
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def rich_text(text: Any) -> str:
    """``text`` for a rich markup string: controls made visible, markup brackets escaped."""
    return _rich_escape(terminal_text(text))


def md_text(text: Any) -> str:
    """``text`` for Markdown (one line): HTML-escaped, Markdown punctuation backslash-escaped,
    control characters and newlines made harmless."""
    s = terminal_text(text, one_line=False).replace("\r", " ").replace("\n", " ")
    return html.escape(_MD_SPECIAL.sub(r"\\\1", s), quote=False)


def spreadsheet_cell(value: Any) -> Any:
    """A text cell that cannot be read as a formula and that every spreadsheet can store:
    ``'=1+1`` for ``=1+1``; control and invisible characters as visible ``\\xNN`` /
    ``\\uXXXX`` escapes (XML, hence xlsx, cannot hold ESC; a terminal showing the CSV must not
    run it). Other values as they are."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return _CELL_CONTROLS.sub(_visible, value)


def spreadsheet_frame(frame: Any) -> Any:
    """A copy of a pandas frame whose text cells (and column names) cannot be read as formulas;
    infinite numbers become missing (no ``inf`` is ever written to a file)."""
    import numpy as np
    import pandas as pd

    out = finite_frame(frame)
    out.columns = [spreadsheet_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):  # labels: each category escaped once
            codes = series.cat.codes.to_numpy()
            cells = np.array([spreadsheet_cell(v) for v in series.cat.categories], dtype=object)
            out[col] = pd.Series(np.where(codes >= 0, cells[np.maximum(codes, 0)], None),
                                 index=out.index, dtype=object)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.map(spreadsheet_cell).astype(object)
    return out


def finite_frame(frame: Any) -> Any:
    """A copy of a pandas frame with ±inf in float columns (and float cells of text columns)
    replaced by missing values: no ``inf`` is ever written to a result file."""
    import numpy as np
    import pandas as pd

    def cell(v: Any) -> Any:
        return None if isinstance(v, float) and not math.isfinite(v) else v

    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype == object:
            out[col] = series.map(cell).astype(object)
        elif pd.api.types.is_float_dtype(series.dtype):
            finite = np.isfinite(series.to_numpy(dtype=float, na_value=np.nan))
            out[col] = series.where(finite, np.nan)
    return out


def safe_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can always be encoded as UTF-8 (undecodable bytes as ``\\udcNN``)."""
    return os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")
