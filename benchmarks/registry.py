"""Which benchmark suites exist: the modules of ``benchmarks/suites/`` that define ``run``.

A suite is any module ``benchmarks/suites/<name>.py`` with a function
``run(*, data_dir: pathlib.Path, quick: bool = False, seed: int = 0) -> dict``. Modules without
``run`` (shared helpers) are not suites. :func:`register` adds a suite that lives elsewhere (the
tests use it to inject a fake one).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Callable

__all__ = ["SUITES_PACKAGE", "SUITES_DIR", "register", "unregister", "discover", "load"]

SUITES_PACKAGE = "benchmarks.suites"
SUITES_DIR = Path(__file__).resolve().parent / "suites"

_REGISTERED: dict[str, Callable[..., dict]] = {}


def register(name: str, run: Callable[..., dict]) -> None:
    """Make ``run`` available as suite ``name`` (it wins over a module of the same name)."""
    if not callable(run):
        raise TypeError(f"run must be callable; got {type(run).__name__}.")
    _REGISTERED[name] = run


def unregister(name: str) -> None:
    """Forget a suite added with :func:`register` (no error if it was not there)."""
    _REGISTERED.pop(name, None)


def _module_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules([str(SUITES_DIR)]) if not info.name.startswith("_"))


def load(name: str) -> Callable[..., dict]:
    """Return the ``run`` function of suite ``name``.

    Raises
    ------
    KeyError
        No registered suite and no module of that name.
    LookupError
        The module exists but defines no ``run`` (a helper, not a suite).
    Exception
        Whatever importing the module raised (a broken suite).
    """
    if name in _REGISTERED:
        return _REGISTERED[name]
    if name not in _module_names():
        raise KeyError(name)
    module = importlib.import_module(f"{SUITES_PACKAGE}.{name}")
    run = getattr(module, "run", None)
    if not callable(run):
        raise LookupError(f"{SUITES_PACKAGE}.{name} defines no run(); it is a helper module, not a suite.")
    return run


def module_of(name: str):
    """The imported module of suite ``name``, or ``None`` for a registered function."""
    if name in _REGISTERED:
        return None
    return importlib.import_module(f"{SUITES_PACKAGE}.{name}")


def discover() -> dict[str, Callable[..., dict] | BaseException]:
    """Every suite by name: its ``run``, or the exception its module raised on import.

    Registered suites come first, then modules in alphabetical order, with the timing suites
    (``speed``, ``scaling``) last so that quality numbers appear first in the report.
    """
    found: dict[str, Callable[..., dict] | BaseException] = dict(_REGISTERED)
    for name in _module_names():
        if name in found:
            continue
        try:
            found[name] = load(name)
        except LookupError:
            continue
        except Exception as error:  # a broken suite module is reported, not fatal
            found[name] = error
    last = [name for name in ("speed", "scaling") if name in found]
    return {name: found[name] for name in found if name not in last} | {name: found[name] for name in last}
