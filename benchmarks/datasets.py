"""Where the suites find the evaluation data, and the one error they raise when it is absent."""

from __future__ import annotations

from pathlib import Path

__all__ = ["require"]


def require(path: Path) -> Path:
    """Return ``path`` if the data is there: a file (a name with a suffix) or a folder (one without).

    Raises
    ------
    narrativediff.exceptions.DataNotFoundError
        The data is absent; the runner reports the suite as skipped with this message.
    """
    from narrativediff.exceptions import DataNotFoundError

    path = Path(path)
    present = path.is_file() if path.suffix else path.is_dir()
    if not present:
        raise DataNotFoundError(
            f"{path} is absent: this suite needs the evaluation data folder (pass data_dir= or --data-dir, "
            "normally ../shared/data from the repository root)."
        )
    return path
