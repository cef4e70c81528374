"""Public names of a package loaded on first use (PEP 562), so that importing one submodule does
not import its siblings (and numpy, pandas and scipy with them)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, names: Mapping[str, tuple[str, str | None]], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__`` (relative module names resolve against it).
    names : Mapping
        Public name → (module, attribute); attribute ``None`` gives the module itself.
    namespace : dict
        The package's ``globals()``: a name, once loaded, is stored there, so later lookups
        never reach ``__getattr__``.
    """

    def __getattr__(name: str) -> Any:
        try:
            module, attr = names[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        mod = importlib.import_module(module, package)
        value = mod if attr is None else getattr(mod, attr)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
