"""Example articles shipped with narrativediff (see README.md in this folder)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["example_path"]

_HERE = Path(__file__).resolve().parent
_EXAMPLES = {"port_strike": _HERE / "port_strike"}


def example_path(name: str = "port_strike") -> Path:
    """Return the folder of a bundled example: one text file per outlet.

    Parameters
    ----------
    name : str, default "port_strike"
        The example's name; ``"port_strike"`` is four outlets on an invented dock strike.

    Examples
    --------
    >>> example_path().name
    'port_strike'
    """
    from narrativediff.exceptions import InvalidParameterError

    if name not in _EXAMPLES:
        raise InvalidParameterError(f"name must be one of {sorted(_EXAMPLES)}; got {name!r}.")
    return _EXAMPLES[name]
