"""Run one suite by itself: ``python -m benchmarks.suites.NAME [DATA_DIR] [--quick]`` prints its JSON."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

__all__ = ["run_standalone", "data_dir_from"]


def data_dir_from(argv: list[str]) -> Path:
    """The data folder: the first argument that is not an option, else $NARRATIVEDIFF_DATA, else the default."""
    from .run import DEFAULT_DATA_DIR

    folders = [arg for arg in argv if not arg.startswith("--")]
    if folders:
        return Path(folders[0])
    return Path(os.environ.get("NARRATIVEDIFF_DATA", DEFAULT_DATA_DIR))


def run_standalone(run, argv: list[str] | None = None) -> None:
    """Call a suite's ``run`` with the data folder and ``--quick`` from the command line; print its JSON."""
    argv = sys.argv[1:] if argv is None else argv
    print(json.dumps(run(data_dir=data_dir_from(argv), quick="--quick" in argv), indent=2))
