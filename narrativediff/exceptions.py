"""Errors raised by narrativediff.

Every error the library raises on purpose derives from :class:`NarrativeDiffError`, so
``except nd.NarrativeDiffError`` catches them all. Where a builtin exception says the same thing,
the error inherits it too, so callers who do not know this library can still catch ``ValueError``
or ``ImportError``::

    NarrativeDiffError
    ├── InvalidInputError (ValueError)      articles, texts or tables that cannot be compared
    ├── InvalidParameterError (ValueError)  an option outside its allowed values
    ├── ModelNotFoundError (OSError)        the embedding model cannot be found or loaded
    ├── MissingDependencyError (ImportError) an optional extra is not installed
    ├── DataNotFoundError (FileNotFoundError) an evaluation data set is absent
    └── NotFittedError (RuntimeError)       a calibrator used before it was fitted

    NarrativeDiffWarning (UserWarning)      input left out or changed, said out loud
"""

from __future__ import annotations

__all__ = [
    "NarrativeDiffError",
    "InvalidInputError",
    "InvalidParameterError",
    "ModelNotFoundError",
    "MissingDependencyError",
    "DataNotFoundError",
    "NotFittedError",
    "NarrativeDiffWarning",
]


class NarrativeDiffError(Exception):
    """Base class of every error narrativediff raises on purpose."""


class InvalidInputError(NarrativeDiffError, ValueError):
    """The articles, texts or tables given cannot be compared as they are."""


class InvalidParameterError(NarrativeDiffError, ValueError):
    """An option is outside its allowed values.

    The message names the parameter, the allowed values and what was given.
    """


class ModelNotFoundError(NarrativeDiffError, OSError):
    """The embedding model cannot be found or loaded; the message says how to install it."""


class MissingDependencyError(NarrativeDiffError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


class DataNotFoundError(NarrativeDiffError, FileNotFoundError):
    """An evaluation data set is not where it was looked for."""


class NotFittedError(NarrativeDiffError, RuntimeError):
    """A calibrator or scorer was used before it was fitted."""


class NarrativeDiffWarning(UserWarning):
    """Something the user gave was left out or changed; the message says what and why.

    Filter it with ``warnings.simplefilter("ignore", nd.NarrativeDiffWarning)``.
    """


def check_choice(name: str, value, allowed) -> None:
    """Raise :class:`InvalidParameterError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise InvalidParameterError(f"{name} must be one of {options}; got {value!r}.")


def check_range(name: str, value, low: float, high: float) -> float:
    """Raise :class:`InvalidParameterError` unless ``low <= value <= high``; return it as float."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be a number in [{low}, {high}]; got {value!r}."
        ) from None
    if not low <= number <= high:
        raise InvalidParameterError(f"{name} must be in [{low}, {high}]; got {value!r}.")
    return number


def check_count(name: str, value, low: int = 1) -> int:
    """Raise :class:`InvalidParameterError` unless ``value`` is an integer (not a bool) of at least ``low``."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        wanted = "a positive integer" if low == 1 else f"an integer of at least {low}"
        raise InvalidParameterError(f"{name} must be {wanted}; got {value!r}.")
    return int(value)
