"""Publication dates: read in any common form, kept as ISO 8601, compared in days.

An article's ``published`` is normalised once, when the articles are checked: a date alone reads
``"2024-04-26"``, a time ``"2024-04-26T14:05:00+02:00"`` (the offset kept when given). A value that
is not a date, or an all-numeric date whose day and month cannot be told apart ("04/05/2024"), is
dropped with a :class:`~narrativediff.NarrativeDiffWarning` that names the article: one odd date
should not stop a comparison, and ``days_apart`` is NaN for its pairs. In the tables a time without
an offset, and a date alone (midnight), are taken as UTC.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

from narrativediff.exceptions import NarrativeDiffWarning

__all__ = ["normalise_published", "published_timestamp", "days_apart"]

_NUMERIC_DMY = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\s*$")


def _iso(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def _parse(text: str) -> dt.datetime | dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    numeric = _NUMERIC_DMY.match(text)
    if numeric and int(numeric.group(1)) <= 12 and int(numeric.group(2)) <= 12 \
            and numeric.group(1) != numeric.group(2):
        return None  # day and month cannot be told apart
    try:
        from dateutil import parser
    except ImportError:  # pandas depends on python-dateutil; without it only ISO 8601 reads
        return None
    try:
        dayfirst = bool(numeric) and int(numeric.group(1)) > 12
        parsed = parser.parse(text, dayfirst=dayfirst, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1 and not re.search(r"\b0*1\b", text):
        return None  # no year given
    return parsed


def normalise_published(value, label: str = "the article") -> str | None:
    """``value`` as an ISO 8601 string, or None (with a warning) when it is not a usable date.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, pandas.Timestamp or None
    label : str
        Names the article in the warning.

    Returns
    -------
    str or None

    Examples
    --------
    >>> normalise_published("26 April 2024")
    '2024-04-26'
    >>> normalise_published("2024-04-26T12:05:00Z")
    '2024-04-26T12:05:00+00:00'
    """
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        if str(value) == "NaT":
            return None
        value = value.to_pydatetime()
    if isinstance(value, (dt.datetime, dt.date)):
        return _iso(value)
    parsed = _parse(str(value))
    if parsed is None:
        warnings.warn(
            f"{label} has the publication date {str(value)!r}, which is not a date that can be read "
            "unambiguously; it is left out (published is None, days_apart NaN). Give it as ISO 8601, "
            "e.g. '2024-04-26' or '2024-04-26T14:05:00+02:00'.",
            NarrativeDiffWarning, stacklevel=4,
        )
        return None
    return _iso(parsed)


def published_timestamp(published: str | None):
    """``published`` (ISO 8601, as normalised) as a UTC ``pandas.Timestamp``; NaT when None."""
    import pandas as pd

    if published is None:
        return pd.NaT
    stamp = pd.Timestamp(published)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def days_apart(first, second) -> float:
    """Absolute days between two timestamps (fractional), NaN when either is missing."""
    import pandas as pd

    if pd.isna(first) or pd.isna(second):
        return float("nan")
    return abs((first - second).total_seconds()) / 86400.0
