"""Text made safe for the program that reads it: terminals, rich markup, Markdown/HTML, CSV/xlsx.

Scenario files carry free text (titles, claim texts, sources, notes, unknown keys quoted in
error messages) that ends up in other programs. Each target has its own rule, applied where the
text leaves impactsim:

* terminal — :func:`terminal_text` replaces control characters (C0 except tab and newline, DEL,
  C1, which carry ANSI/OSC escape sequences) by visible ``\\xNN`` escapes; :func:`rich_text`
  also escapes rich markup (``[bold]``, ``[link=…]``) so text is shown, never interpreted;
* Markdown — :func:`md_text` HTML-escapes ``& < >`` (Markdown renderers pass raw HTML
  through) and backslash-escapes the Markdown punctuation that builds links, images, code,
  emphasis and table cells;
* CSV and xlsx — :func:`spreadsheet_cell` neutralises formula prefixes (``= + - @``, tab and
  carriage return at the start of a text cell) by a leading apostrophe, the OWASP rule against
  CSV injection.
"""

from __future__ import annotations

import html
import math
import os
import re
from typing import Any

from rich.markup import escape as _rich_escape

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~!])")
#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}"


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
    """A text cell that cannot be read as a formula: ``'=1+1`` for ``=1+1`` (other values as
    they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_frame(frame: Any) -> Any:
    """A copy of a pandas frame whose text cells (and column names) cannot be read as formulas;
    infinite numbers become missing (no ``inf`` is ever written to a file)."""
    import pandas as pd

    out = finite_frame(frame)
    out.columns = [spreadsheet_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    for col in out.columns:
        series = out[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
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
