"""Fitted parameters on disk: the one place that writes and reads them, as JSON with provenance.

Both learned parts of narrativediff (:class:`~narrativediff.align.model.SameClaimCalibrator` and
:class:`~narrativediff.framing.combine.FramingCombiner`) save and load through :func:`save` and
:func:`load`. A file holds one fitted estimator::

    {
      "format": "narrativediff-fitted",
      "format_version": 1,
      "estimator": "SameClaimCalibrator",
      "params": {...},       # get_params(deep=False): the constructor's keyword arguments
      "fitted": {...},       # the learned attributes, named as on the estimator (coef_, ...)
      "provenance": {        # how it was made
        "data": "...", "split": "...", "date": "YYYY-MM-DD",
        "metrics": {...}, "versions": {"python": ..., "numpy": ..., "scikit-learn": ...},
        ...                  # free-form notes
      }
    }

Numbers are written with ``repr`` precision, so a saved model gives the same probabilities when
read back. The estimators supply two hooks: ``_fitted_state()`` (learned attributes to write) and
``_restore_fitted(state)`` (check and set them).
"""

from __future__ import annotations

import datetime
import json
import platform
from pathlib import Path

from narrativediff.exceptions import InvalidInputError, NotFittedError

__all__ = ["FORMAT", "FORMAT_VERSION", "PROVENANCE_KEYS", "library_versions", "make_provenance",
           "to_document", "from_document", "save", "load"]

FORMAT = "narrativediff-fitted"
FORMAT_VERSION = 1
#: The provenance fields every fitted file carries (``None`` or empty where unknown).
PROVENANCE_KEYS = ("data", "split", "date", "metrics", "versions")
_VERSIONED = ("numpy", "scipy", "scikit-learn", "pandas", "torch", "sentence-transformers", "narrativediff")


def library_versions() -> dict:
    """The versions of Python and of the libraries a fit depends on, as strings."""
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def make_provenance(given: dict | None = None) -> dict:
    """Provenance with every field of :data:`PROVENANCE_KEYS`: ``given`` on top of the defaults.

    The defaults are today's date, no data or split named, no metrics, and the versions installed
    now (so call it when fitting, not when saving).

    Examples
    --------
    >>> record = make_provenance({"data": "my labels", "split": "all"})
    >>> sorted(record)
    ['data', 'date', 'metrics', 'split', 'versions']
    """
    record = {"data": None, "split": None, "date": datetime.date.today().isoformat(), "metrics": {},
              "versions": library_versions()}
    record.update(given or {})
    return record


def _plain(value):
    """``value`` as JSON values: arrays and tuples to lists, numpy scalars to Python numbers."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _plain(value.tolist())
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise InvalidInputError(f"cannot write {type(value).__name__} {value!r} to a fitted-parameters file.")


def to_document(estimator) -> dict:
    """The JSON-ready document of a fitted estimator (what :func:`save` writes).

    Raises
    ------
    NotFittedError
        If the estimator is not fitted.
    """
    state = estimator._fitted_state()  # raises NotFittedError when not fitted
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "estimator": type(estimator).__name__,
        "params": _plain(estimator.get_params(deep=False)),
        "fitted": _plain(state),
        "provenance": _plain(make_provenance(getattr(estimator, "provenance_", None))),
    }


def from_document(cls, document, *, source: str = "the document"):
    """Rebuild a fitted ``cls`` from :func:`to_document` output.

    Raises
    ------
    InvalidInputError
        If the document is not a fitted ``cls`` in this format, or a field is missing or malformed.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInputError(
            f"{source} is not a narrativediff fitted-parameters file (no \"format\": {FORMAT!r}); "
            "refit the model and save it again."
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise InvalidInputError(
            f"{source} has format_version {document.get('format_version')!r}; this narrativediff reads "
            f"version {FORMAT_VERSION}."
        )
    if document.get("estimator") != cls.__name__:
        raise InvalidInputError(f"{source} holds a {document.get('estimator')!r}, not a {cls.__name__}.")
    params, state = document.get("params"), document.get("fitted")
    if not isinstance(params, dict) or not isinstance(state, dict):
        raise InvalidInputError(f"{source} lacks the \"params\" or \"fitted\" object.")
    # JSON has no tuples: sequence parameters (features, components) come back as the tuples they were
    params = {name: tuple(value) if isinstance(value, list) else value for name, value in params.items()}
    try:
        estimator = cls(**params)
    except TypeError as error:
        raise InvalidInputError(f"{source}: bad params for {cls.__name__} ({error}).") from None
    estimator._validate_params()
    try:
        estimator._restore_fitted(state)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, InvalidInputError):
            raise
        raise InvalidInputError(f"{source}: missing or malformed fitted field {error}.") from None
    estimator.provenance_ = dict(document.get("provenance") or {})
    return estimator


def save(estimator, path) -> Path:
    """Write a fitted estimator to ``path`` as JSON; return the path.

    Raises
    ------
    NotFittedError
        If the estimator is not fitted.
    """
    path = Path(path)
    path.write_text(json.dumps(to_document(estimator), indent=2) + "\n", encoding="utf-8")
    return path


def load(cls, source):
    """Read a fitted ``cls`` written by :func:`save`.

    Parameters
    ----------
    cls : type
        The estimator class the file must hold.
    source : str, Path or importlib.resources.abc.Traversable
        The file (a package resource works too).

    Raises
    ------
    NotFittedError
        If there is no file at ``source``: there are no fitted parameters to use.
    InvalidInputError
        If the file is not valid JSON in this format.
    """
    resource = source if hasattr(source, "read_text") and not isinstance(source, (str, Path)) else Path(source)
    try:
        text = resource.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise NotFittedError(
            f"no fitted {cls.__name__} at {source}: fit one (see training/ in the repository) or pass "
            "the path of a file written by save()."
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(f"{source} is not valid JSON ({error}).") from None
    return from_document(cls, document, source=str(source))
