"""LAPACK's LU routines (``dgetrf``, ``dgetrs``) from scipy's own wrappers, loaded without
importing ``scipy.linalg``.

``import scipy.linalg`` runs the package's ``__init__``, which imports some forty modules
(``scipy.sparse`` among them): about 0.15 s of every command's start, for two LAPACK routines.
The routines live in scipy's f2py extension module ``scipy.linalg._flapack``, which needs only
numpy; :func:`flapack` loads that file by itself and registers it under its own name, so a later
``import scipy.linalg`` (by the user, or by a part of impactsim that needs more of it) finds the
same module and ``scipy.linalg.get_lapack_funcs`` returns the very same routines. Whichever way
the module was loaded, the calls and their results are those of ``scipy.linalg.lu_factor`` /
``lu_solve`` to the last bit.

When the file is not where scipy keeps it (another scipy layout) or cannot be loaded alone, the
module is imported the ordinary way, through ``scipy.linalg``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: scipy's LAPACK wrapper module (an f2py extension).
MODULE = "scipy.linalg._flapack"


def _load_alone() -> ModuleType | None:
    """``scipy.linalg._flapack`` loaded from its file without running ``scipy.linalg``'s
    ``__init__`` (None when the file is not found or does not load)."""
    try:
        import scipy
    except ImportError:  # pragma: no cover - scipy is a dependency
        return None
    folder = Path(scipy.__file__).parent / "linalg"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_flapack{suffix}"
        if not path.is_file():
            continue
        loader = importlib.machinery.ExtensionFileLoader(MODULE, str(path))
        spec = importlib.util.spec_from_file_location(MODULE, str(path), loader=loader)
        if spec is None:
            return None
        try:
            module = importlib.util.module_from_spec(spec)
            loader.exec_module(module)
        except ImportError:
            return None
        return module
    return None


@functools.cache
def flapack() -> ModuleType:
    """scipy's LAPACK wrapper module: the one already imported, else loaded by itself (see
    the module docstring), else imported through ``scipy.linalg``."""
    module = sys.modules.get(MODULE)
    if module is None:
        module = _load_alone()
        if module is not None and hasattr(module, "dgetrf") and hasattr(module, "dgetrs"):
            sys.modules.setdefault(MODULE, module)
            module = sys.modules[MODULE]
        else:
            module = importlib.import_module(MODULE)
    return module


@functools.cache
def lu_routines() -> tuple[Any, Any]:
    """``(dgetrf, dgetrs)``: the routines ``scipy.linalg.get_lapack_funcs(("getrf", "getrs"))``
    returns for float64 arrays."""
    module = flapack()
    return module.dgetrf, module.dgetrs


def lu_factor(a: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """``scipy.linalg.lu_factor(a)`` for a real square matrix: ``P A = L U`` by ``dgetrf``.

    Returns ``(lu, piv)`` (``U`` in the upper triangle, the unit ``L`` below it; ``piv`` the
    0-based row interchanges). Raises ``ValueError`` for infinite or NaN entries or a malformed
    argument; an exactly singular ``U`` is returned as LAPACK gives it (as scipy does, which
    only warns): callers check what they need.
    """
    a1 = np.asarray_chkfinite(a, dtype=np.float64)
    if a1.ndim != 2 or a1.shape[0] != a1.shape[1]:
        raise ValueError(f"expected a square matrix, got shape {a1.shape}")
    if a1.size == 0:
        return np.empty_like(a1), np.arange(0, dtype=np.int32)
    lu, piv, info = lu_routines()[0](a1, overwrite_a=False)
    if info < 0:  # pragma: no cover - only for malformed arguments
        raise ValueError(f"LAPACK getrf: illegal value in argument {-info}")
    return lu, piv


def lu_solve(lu_and_piv: tuple[NDArray[np.float64], NDArray[np.int32]], b: ArrayLike, *,
             trans: int = 0) -> NDArray[np.float64]:
    """``scipy.linalg.lu_solve((lu, piv), b, trans=trans)``: ``A x = b`` (``trans=0``) or
    ``Aᵀ x = b`` (``trans=1``) from the factors of :func:`lu_factor`, by ``dgetrs``.

    ``piv`` is passed as a private copy: f2py shifts it to 1-based in place during the call, so
    solves sharing one factorization from several threads would otherwise disturb each other.
    """
    lu, piv = lu_and_piv
    b1 = np.asarray_chkfinite(b, dtype=np.float64)
    if b1.shape[0] != lu.shape[0]:
        raise ValueError(f"shapes of lu {lu.shape} and b {b1.shape} are incompatible")
    if b1.size == 0:
        return np.empty_like(b1)
    x, info = lu_routines()[1](lu, piv.copy(), b1, trans=trans, overwrite_b=False)
    if info != 0:  # pragma: no cover - only for malformed arguments
        raise ValueError(f"LAPACK getrs: illegal value in argument {-info}")
    return np.asarray(x)
