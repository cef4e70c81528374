"""Sphinx configuration: the Markdown pages (MyST), an API reference generated from the
docstrings of the public names in ``impactsim.__all__``, and the tutorial.

Build: ``pip install -e ".[docs]"`` then ``sphinx-build -W -b html docs docs/_build``.
Offline and fast: nothing is executed except importing impactsim for autodoc.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import impactsim  # noqa: E402

project = "impactsim"
author = "impactsim developers"
copyright = "impactsim developers"
release = impactsim.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_autosummary/*.md", "tutorial/*.py", "**/.ipynb_checkpoints"]

myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

# API reference: one page per public name (autosummary over impactsim.__all__), numpydoc-style
# sections read by napoleon; signatures without type hints repeated in the text.
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_inherit_docstrings = False
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

html_theme = "pydata_sphinx_theme"
html_title = f"impactsim {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
}
html_static_path: list[str] = []
html_show_sourcelink = False

# docs/architecture.md is written in another branch: the index lists it only once it exists.
HAS_ARCHITECTURE = (Path(__file__).parent / "architecture.md").exists()

PUBLIC = [name for name in impactsim.__all__ if not name.startswith("_")]
API_HEADER = """# API reference

Everything below is importable from the top-level package (`import impactsim as ims`); these
are the names in `impactsim.__all__`, and only they are the public interface. Each entry is
generated from the docstrings (formulas and units are stated there). This page is written by
`docs/conf.py` from `impactsim.__all__` (tests/test_docs_site.py checks it is current).

```{eval-rst}
.. currentmodule:: impactsim

.. autosummary::
   :toctree: _autosummary
   :nosignatures:

"""


def api_page() -> str:
    """The text of docs/api.md: an autosummary of every public name."""
    return API_HEADER + "".join(f"   {name}\n" for name in PUBLIC) + "```\n"


_api = Path(__file__).with_name("api.md")
if not _api.exists() or _api.read_text(encoding="utf-8") != api_page():
    _api.write_text(api_page(), encoding="utf-8")


def _index_toctree(app, docname, source) -> None:
    """Drop the architecture entry from the index while docs/architecture.md does not exist."""
    if docname == "index" and not HAS_ARCHITECTURE:
        source[0] = source[0].replace("\narchitecture\n", "\n")


_ABS = re.compile(r"(?<![`\\\w])\|(\w+)\|(?!`)")


def _plain_bars(app, what, name, obj, options, lines) -> None:
    """Docstrings write absolute values as |x|; keep them text, not RST substitutions."""
    lines[:] = [_ABS.sub(r"\\|\1\\|", line) for line in lines]


def setup(app) -> None:
    app.connect("source-read", _index_toctree)
    app.connect("autodoc-process-docstring", _plain_bars)
