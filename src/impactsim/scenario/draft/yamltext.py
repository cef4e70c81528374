"""Strings from an article made safe for the YAML the draft writer produces.

Two sinks, one function each:

* :func:`yaml_scalar` — a double-quoted scalar: JSON string escapes, plus ``\\uXXXX`` for every
  character YAML does not accept raw or would read as a line break (C0/C1 controls, DEL, NEL,
  U+2028, U+2029, byte-order marks, unpaired surrogates) and for bidirectional overrides, which
  would make the file show something other than what it says;
* :func:`yaml_comment` — text after ``#``: the same characters become visible ``\\uXXXX``
  escapes, so a comment stays one line ("evil\\nuncertainty: ..." in a file name cannot start a
  key of its own) and the file stays parseable.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

#: Characters never written raw into a draft: controls (C0 but tab, DEL, C1 with NEL), line
#: and paragraph separators, bidirectional controls, BOM, surrogates and non-characters.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff\ud800-\udfff\ufffe\uffff]"
)


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as ``text`` exactly."""
    return _UNSAFE.sub(_escape, json.dumps(text, ensure_ascii=False))


def yaml_comment(text: str) -> str:
    """``text`` for a ``#`` comment: one line; unsafe characters shown as ``\\uXXXX``."""
    return _UNSAFE.sub(_escape, text.replace("\t", " "))


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper; strings with unsafe characters are written double-quoted."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _UNSAFE.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def yaml_document(data: Any, *, comment: str = "") -> str:
    """``data`` as a YAML document (``comment`` as its first line), with every unsafe
    character written as a ``\\uXXXX`` escape inside a double-quoted scalar; the text is
    parsed back and must give ``data`` again (else ``ValueError``)."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    body = _UNSAFE.sub(lambda m: m.group(0) if m.group(0) == "\n" else _escape(m), body)
    text = (f"# {yaml_comment(comment)}\n" if comment else "") + body
    if yaml.safe_load(text) != data:
        raise ValueError("the YAML written does not read back as the data")
    return text
