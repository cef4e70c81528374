"""Safe YAML loading with line numbers, and one-line error messages (file, line, field, fix).

Documents are *composed* with :class:`yaml.SafeLoader` into a node tree and converted to plain
Python data here, so that (1) every mapping key and sequence item keeps the line it came from and
(2) no tag can construct an object: only the core YAML tags (str, int, float, bool, null,
timestamp, map, seq) are accepted; ``!!python/object`` and friends are refused with a message.
Mapping keys are kept as the text written (``011`` stays ``"011"``, not the octal number 9).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .._files import FileRefused, read_regular_file
from ..errors import ScenarioError

Loc = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAX_NODES = 200_000
#: Largest scenario (or pattern) file read, in bytes, checked before parsing: the largest
#: shipped scenario is ~20 kB, so 1 MiB leaves room for any hand-written file (and bounds the
#: time the pure-Python YAML parser can spend on one file to seconds).
MAX_FILE_BYTES = 1024 * 1024
#: Largest document after alias expansion, in characters of scalar text: every alias counts
#: the full text of the node it points at, so "billion laughs" documents stop here.
MAX_EXPANDED_CHARS = 16 * 1024 * 1024


@dataclass(frozen=True)
class SourceMap:
    """Where each field of a document came from: ``file`` and ``loc → line`` (1-based)."""

    file: str = "<data>"
    lines: Mapping[Loc, int] = field(default_factory=dict)
    prefix: Loc = ()
    #: SHA-256 of exactly the bytes that were parsed (None for text or data given in memory).
    sha256: str | None = None

    def line(self, loc: Iterable[str | int]) -> int | None:
        """Line of the deepest prefix of ``loc`` that the document has (None when unknown)."""
        full = (*self.prefix, *loc)
        best = self.lines.get(())
        for i in range(1, len(full) + 1):
            hit = self.lines.get(full[:i])
            if hit is None:
                # pydantic inserts union / validator tags in locs; skip one and keep going
                continue
            best = hit
        return best

    def where(self, loc: Iterable[str | int] = ()) -> str:
        """``file:line`` (or just ``file``) for a field."""
        ln = self.line(tuple(loc))
        return f"{self.file}:{ln}" if ln else self.file

    def sub(self, loc: Loc) -> SourceMap:
        """The same map seen from a sub-document at ``loc`` (for inline patterns)."""
        return SourceMap(self.file, self.lines, (*self.prefix, *loc), self.sha256)


def field_path(loc: Iterable[str | int]) -> str:
    """``investments[0].construction.amount`` from a loc tuple."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def _fail(file: str, line: int | None, what: str, fix: str) -> ScenarioError:
    where = f"{file}:{line}" if line else file
    return ScenarioError(f"{where}: {what}; fix: {fix}")


class _Converter:
    """Turn a composed node tree into dicts/lists/scalars, recording key lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Loc, int] = {}
        self.count = 0
        self.chars = 0
        self.loader = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _fail(
                self.file,
                node.start_mark.line + 1,
                f"document too large or too deeply aliased (more than {_MAX_NODES} nodes)",
                "write the scenario out plainly; anchors (&) and aliases (*) should be few",
            )
        self.lines.setdefault(loc, node.start_mark.line + 1)
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            if node.tag != f"{_CORE}map":
                raise self._bad_tag(node)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == f"{_CORE}merge":
                    raise _fail(
                        self.file,
                        key_node.start_mark.line + 1,
                        "merge keys ('<<') are not supported in scenario files",
                        "write the keys out in full",
                    )
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _fail(
                        self.file,
                        key_node.start_mark.line + 1,
                        "a mapping key must be a plain name or number, not a list or mapping",
                        "use a simple key such as `amount:`",
                    )
                if key_node.tag not in _SCALAR_TAGS:
                    raise self._bad_tag(key_node)
                key = str(key_node.value)
                if key in out:
                    raise _fail(
                        self.file,
                        key_node.start_mark.line + 1,
                        f"{field_path((*loc, key))}: key '{key}' appears twice in the same mapping",
                        "keep one of them (YAML would silently use the last)",
                    )
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                out[key] = self.convert(value_node, (*loc, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_CORE}seq":
                raise self._bad_tag(node)
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*loc, i)] = item.start_mark.line + 1
                items.append(self.convert(item, (*loc, i)))
            return items
        if node.tag not in _SCALAR_TAGS:
            raise self._bad_tag(node)
        text = str(node.value)
        self.chars += len(text)
        if self.chars > MAX_EXPANDED_CHARS:
            raise _fail(
                self.file,
                line,
                f"document too large after expanding aliases (more than {MAX_EXPANDED_CHARS:,} "
                "characters of values)",
                "write the scenario out plainly; aliases (*) must not repeat large values",
            )
        if node.tag == f"{_CORE}int" and len(text) > 1 and text[0] == "0" and text.isdigit():
            return text  # "011" is a code, not the YAML 1.1 octal number 9
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise _fail(
                self.file, line, f"cannot read the value {text!r} ({exc})", "quote it"
            ) from None

    def _bad_tag(self, node: yaml.Node) -> ScenarioError:
        return _fail(
            self.file,
            node.start_mark.line + 1,
            f"YAML tag '{node.tag}' is not allowed: scenario files are plain data and no object "
            "is ever constructed from a tag",
            "remove the tag (e.g. '!!python/object:...') and write the value as plain YAML",
        )


def _compose(text: str) -> yaml.Node | None:
    """The document's node graph: by libyaml when PyYAML has it (several times faster), else,
    or when libyaml finds a fault or the text has characters YAML does not allow, by PyYAML's
    own parser, whose messages the errors quote."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            loader = fast(text)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()
        except (yaml.YAMLError, ValueError):
            pass  # read again below, for the same message as without libyaml
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml_text(text: str, *, file: str = "<string>") -> tuple[Any, SourceMap]:
    """Parse YAML text safely; return (plain data, SourceMap). Raises :class:`ScenarioError`."""
    if not isinstance(text, str):
        raise _fail(file, None, "expected YAML text", "pass the file's text (str)")
    if len(text) > MAX_FILE_BYTES:
        raise _fail(
            file,
            None,
            f"too large ({len(text):,} characters; the limit is {MAX_FILE_BYTES:,})",
            "a scenario is a short text file: check that this is the right file",
        )
    if not text.strip() or all(
        ln.strip() == "" or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise _fail(
            file,
            None,
            "the file is empty (no YAML content)",
            "write a scenario; start from scenarios/korea.yaml or docs/scenarios.md",
        )
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise _fail(
            file,
            line,
            f"malformed YAML: {problem}",
            "check indentation (spaces, not tabs), colons after keys and closing quotes/brackets",
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(file, None, f"malformed YAML: {exc}", "check the YAML syntax") from None
    except (ValueError, RecursionError) as exc:
        raise _fail(file, None, f"unreadable YAML: {exc}", "check the YAML syntax") from None
    if node is None:
        raise _fail(file, None, "the file is empty (no YAML content)", "write a scenario")
    conv = _Converter(file)
    try:
        data = conv.convert(node, ())
    except RecursionError:
        raise _fail(file, None, "YAML nested too deeply", "flatten the document") from None
    return data, SourceMap(file=file, lines=conv.lines)


def display_path(path: str | Path) -> str:
    """A path as text for messages and records: bytes that are not UTF-8 (a file name in
    another encoding) become ``\\xNN``-style escapes, so the text can always be encoded."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def read_limited(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, read once, refusing anything larger than ``limit``.

    FIFOs, devices (``/dev/zero``), sockets and folders are refused before any read (the file is
    opened non-blocking, so a FIFO without a writer cannot hang the call); the size is checked
    with ``fstat`` and again while reading, so a file that grows cannot slip past the cap.
    """
    p = Path(path)
    where = display_path(p)
    try:
        return read_regular_file(p, limit=limit)
    except FileRefused as why:
        if why.reason == "not-found":
            what, fix = "file not found", "check the path"
        elif why.reason == "folder":
            what, fix = "is a folder, not a file", "give the path of a .yaml file"
        elif why.reason == "not-regular":
            what = f"is {why.kind}, not a regular file"
            fix = "save the scenario to a file and give its path"
        elif why.reason == "too-large":
            what = (f"too large ({why.size:,} bytes; the limit is {limit:,})"
                    if why.size is not None else f"too large (more than {limit:,} bytes)")
            fix = "a scenario is a short text file: check that this is the right file"
        else:
            what = f"cannot read the file ({why.strerror})"
            fix = "check the path and permissions" if why.stage == "open" else "check the path"
        raise _fail(where, None, what, fix) from None


def load_yaml_file(path: str | Path) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file safely (see :func:`load_yaml_text`).

    The file is read once (:func:`read_limited`: regular files of at most
    :data:`MAX_FILE_BYTES`); the returned :class:`SourceMap` carries the SHA-256 of exactly
    those bytes.
    """
    p = Path(path)
    raw = read_limited(p)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            display_path(p), None, f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8"
        ) from None
    data, source = load_yaml_text(text, file=display_path(p))
    digest = hashlib.sha256(raw).hexdigest()
    return data, SourceMap(source.file, source.lines, source.prefix, digest)


# ----------------------------------------------------------------------------- pydantic errors
_FIXES = {
    "missing": "add it",
    "float_parsing": "give a number, e.g. 5.0e9",
    "float_type": "give a number, e.g. 5.0e9",
    "int_parsing": "give a whole number, e.g. 2025",
    "int_type": "give a whole number, e.g. 2025",
    "int_from_float": "give a whole number, e.g. 2025",
    "string_type": "give text (quote it)",
    "bool_type": "give true or false",
    "bool_parsing": "give true or false",
    "list_type": "give a list, e.g. [a, b]",
    "tuple_type": "give a list, e.g. [2025, 2031]",
    "dict_type": "give a mapping (key: value lines)",
    "model_type": "give a mapping (key: value lines)",
    "model_attributes_type": "give a mapping (key: value lines)",
    "greater_than_equal": "use a value in the allowed range",
    "greater_than": "use a value in the allowed range",
    "less_than_equal": "use a value in the allowed range",
    "less_than": "use a value in the allowed range",
    "too_short": "add the missing items",
    "too_long": "remove the extra items",
    "finite_number": "give a finite number",
    "string_pattern_mismatch": "use lower-case letters, digits and '-' (e.g. aws-korea)",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "union_tag_not_found": "add `distribution:` (uniform, triangular, normal, lognormal or beta)",
}


_MARKERS = {"float", "int", "str", "bool", "dict", "list", "tuple", "Uncertain", "Amount", "Share"}


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """Keep the parts of a pydantic loc that step through the input ``data`` (dict keys, list
    indices); drop pydantic's markers (union members, validator names). A last part that is a
    plain field name is kept even when absent (a missing field)."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(cur, dict) and part in cur:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and isinstance(part, str) and str(part) in {str(k) for k in cur}:
            key = next(k for k in cur if str(k) == str(part))
            out.append(key)
            cur = cur[key]
        elif (
            i == len(loc) - 1
            and isinstance(part, str)
            and part.isidentifier()
            and part not in _MARKERS
        ):
            out.append(part)
            cur = None
    return tuple(out)


def _extra_fix(key: str, allowed: Iterable[str]) -> str:
    near = difflib.get_close_matches(key, list(allowed), n=1)
    if near:
        return f"did you mean '{near[0]}'? (unknown keys are refused)"
    return f"remove it; allowed here: {', '.join(sorted(allowed))}" if allowed else "remove it"


def validation_error(
    exc: ValidationError,
    source: SourceMap,
    *,
    data: Any = None,
    allowed_keys: Any = None,
) -> ScenarioError:
    """Turn a pydantic ValidationError into one ScenarioError line: file:line: field: problem; fix.

    ``allowed_keys(loc) -> iterable`` names the valid keys at a location (for unknown-key fixes).
    """
    errors = exc.errors(include_url=False)
    # the most specific error first: deepest loc, and user-written (value_error) before type noise
    errors.sort(key=lambda e: (e["type"] != "value_error", e["type"] == "missing", -len(e["loc"])))
    err = errors[0]
    loc = _clean_loc(tuple(err["loc"]), data)
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, ") :]
    if err["type"] == "extra_forbidden":
        key = str(loc[-1]) if loc else str(err["loc"][-1]) if err["loc"] else "?"
        allowed = allowed_keys(loc[:-1]) if allowed_keys and loc else ()
        problem, fix = f"unknown key '{key}'", _extra_fix(key, allowed or ())
    elif err["type"] == "missing":
        problem, fix = "required field is missing", f"add `{loc[-1]}:`" if loc else "add it"
    elif "; fix: " in msg:
        problem, fix = msg.split("; fix: ", 1)
    else:
        shown = err.get("input")
        shown_txt = repr(shown) if not isinstance(shown, dict | list) else type(shown).__name__
        if len(shown_txt) > 60:
            shown_txt = shown_txt[:57] + "..."
        problem = f"{msg} (got {shown_txt})"
        fix = _FIXES.get(err["type"], "see docs/scenarios.md for the allowed values")
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    line = source.line(loc)
    where = f"{source.file}:{line}" if line else source.file
    return ScenarioError(
        f"{where}: {field_path((*source.prefix, *loc))}: {problem}; fix: {fix}{more}"
    )
