"""A Comparison to files and back: JSON and Parquet for other tools, one archive for ``save``/``load``.

Three ways out, for three uses:

* :func:`to_json`: every table of :func:`narrativediff.faces.report.tables` as records, with the
  comparison's metadata (outlets, model, options, articles, library version): for JavaScript,
  R's ``jsonlite``, a document store. Not read back.
* :func:`to_parquet`: the same tables as ``<folder>/<name>.parquet`` and ``metadata.json`` (needs
  pyarrow, ``pip install narrativediff[parquet]``): for pandas, polars, DuckDB, R's ``arrow``.
* :func:`save` / :func:`load`: the Comparison itself, exactly. The archive is one zip file: a
  ``manifest.json`` (format name and version, library version, every field of the Comparison that
  is not a table), one JSON file per table under ``tables/`` (every column with its dtype, floats
  written as Python's shortest exact repr, the index), and ``embeddings.npy`` (NumPy's format, read
  with ``allow_pickle=False``). Loading it gives tables equal to the saved ones (dtypes, index and
  values), the same embeddings, articles and options. Nothing in it is pickled, so loading a file
  from someone else runs no code of theirs.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from pathlib import Path

from narrativediff.exceptions import InvalidInputError, InvalidParameterError, MissingDependencyError

__all__ = ["FORMAT", "FORMAT_VERSION", "to_json", "to_parquet", "save", "load", "metadata"]

#: The archive's format name (in its manifest) and the newest version this library reads and writes.
FORMAT = "narrativediff.comparison"
FORMAT_VERSION = 1


# --------------------------------------------------------------------------- metadata


def _plain(value):
    """``value`` as JSON can hold it: NumPy scalars as Python numbers, dates as ISO text."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return value.item()
        except (TypeError, ValueError):
            pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _article_dict(article) -> dict:
    return {f.name: _plain(getattr(article, f.name)) for f in dataclasses.fields(article)}


def metadata(comparison) -> dict:
    """What describes a comparison besides its tables: outlets, model, options, timings, articles."""
    from narrativediff import __version__

    return {
        "narrativediff": __version__,
        "sources": list(comparison.sources),
        "model": comparison.model,
        "threshold": float(comparison.threshold),
        "method": comparison.method,
        "timings": {k: float(v) for k, v in comparison.timings.items()},
        "articles": [_article_dict(a) for a in comparison.articles],
    }


# --------------------------------------------------------------------------- JSON and Parquet


def to_json(comparison, path=None, *, indent: int | None = None) -> str:
    """Every table as JSON records, with the comparison's metadata; write it when ``path`` is given.

    Parameters
    ----------
    comparison : Comparison
    path : str or path-like, optional
        Where to write (UTF-8; parent folders are created); ``None`` only returns the text.
    indent : int, optional
        Indent the JSON for reading; compact by default.

    Returns
    -------
    str
        ``{"format": "narrativediff.tables", "format_version": 1, "metadata": {...}, "tables":
        {name: [record, ...]}}``: one record per row, column names as keys, missing values ``null``,
        dates in ISO 8601. The embeddings are left out (see :meth:`Comparison.save`).
    """
    from narrativediff.faces.report import tables

    return write_json(tables(comparison), metadata(comparison), path, indent=indent)


def write_json(named: dict, meta: dict, path=None, *, indent: int | None = None,
               format_name: str = "narrativediff.tables") -> str:
    """The JSON document of :func:`to_json` for any tables and metadata; written when ``path`` is given."""
    document = {
        "format": format_name,
        "format_version": FORMAT_VERSION,
        "metadata": meta,
        "tables": {
            name: json.loads(table.to_json(orient="records", force_ascii=False, double_precision=15,
                                           date_format="iso"))
            for name, table in named.items()
        },
    }
    text = json.dumps(document, ensure_ascii=False, indent=indent, allow_nan=False)
    if path is not None:
        from narrativediff.faces.report import write_text

        write_text(path, text, what="the JSON")
    return text


def to_parquet(comparison, folder) -> dict:
    """Write every table as ``<folder>/<name>.parquet`` and the metadata as ``metadata.json``.

    Returns
    -------
    dict
        ``{name: path}`` for every file written, ``"metadata"`` included.

    Raises
    ------
    MissingDependencyError
        pyarrow is not installed (``pip install narrativediff[parquet]``).
    InvalidParameterError
        ``folder`` is a file.
    """
    from narrativediff.faces.report import tables

    return write_parquet(tables(comparison), metadata(comparison), folder)


def write_parquet(named: dict, meta: dict, folder) -> dict:
    """Each table of ``named`` as ``<folder>/<name>.parquet`` and ``meta`` as ``metadata.json`` (see :func:`to_parquet`)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "writing Parquet files needs pyarrow; install it with `pip install narrativediff[parquet]`."
        ) from None
    from narrativediff.faces.report import write_tables

    folder = Path(folder)
    written = write_tables(named, folder, kind="Parquet", suffix=".parquet",
                           write=lambda table, path: table.to_parquet(path, index=False, engine="pyarrow"))
    written["metadata"] = folder / "metadata.json"
    written["metadata"].write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return written


# --------------------------------------------------------------------------- save / load: tables


def _values(series) -> list:
    import pandas as pd

    if series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype):
        return [None if pd.isna(v) else v.isoformat() for v in series]
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.tolist()
    return [_plain(v) for v in series.tolist()]


def _encode_index(index) -> dict:
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        raise InvalidParameterError("save() keeps tables with a flat index; this one has a MultiIndex.")
    if isinstance(index, pd.RangeIndex):
        return {"kind": "range", "start": index.start, "stop": index.stop, "step": index.step, "name": index.name}
    return {"kind": "values", "name": index.name, **_encode_column(index.to_series(index=None))}


def _encode_column(series) -> dict:
    import pandas as pd

    out = {"dtype": str(series.dtype), "values": _values(series)}
    if isinstance(series.dtype, pd.CategoricalDtype):
        out["categories"] = _encode_column(pd.Series(series.cat.categories))
        out["ordered"] = bool(series.cat.ordered)
    return out


def _decode_column(spec: dict, name=None):
    import pandas as pd

    dtype, values = spec["dtype"], spec["values"]
    if "categories" in spec:
        categories = _decode_column(spec["categories"])
        return pd.Series(pd.Categorical.from_codes(values, categories=categories, ordered=spec["ordered"]), name=name)
    if dtype.startswith("datetime64"):
        parsed = pd.to_datetime(pd.Series(values, dtype=object), utc="," in dtype)
        if "," in dtype:  # time-zone aware: "datetime64[ns, UTC]"
            parsed = parsed.dt.tz_convert(dtype.split(",", 1)[1].rstrip("]").strip())
        return parsed.astype(dtype).rename(name)
    if dtype == "object":
        return pd.Series(values, dtype=object, name=name)
    return pd.Series(values, dtype=dtype, name=name)


def _decode_index(spec: dict):
    import pandas as pd

    if spec["kind"] == "range":
        return pd.RangeIndex(spec["start"], spec["stop"], spec["step"], name=spec["name"])
    return pd.Index(_decode_column(spec), name=spec["name"])


def _encode_table(table) -> dict:
    import pandas as pd

    if isinstance(table, pd.Series):
        return {"kind": "series", "name": _plain(table.name), "index": _encode_index(table.index),
                **_encode_column(table)}
    return {"kind": "frame", "index": _encode_index(table.index), "columns_dtype": str(table.columns.dtype),
            "columns": [{"name": _plain(name), **_encode_column(table.iloc[:, k])}
                        for k, name in enumerate(table.columns)]}


def _decode_table(spec: dict):
    import pandas as pd

    index = _decode_index(spec["index"])
    if spec["kind"] == "series":
        series = _decode_column(spec, name=spec["name"])
        series.index = index
        return series
    columns = [_decode_column(c) for c in spec["columns"]]
    if not columns:
        return pd.DataFrame(index=index, columns=pd.Index([], dtype=spec["columns_dtype"]))
    frame = pd.concat(columns, axis=1)
    frame.columns = pd.Index([c["name"] for c in spec["columns"]], dtype=spec["columns_dtype"])
    frame.index = index
    return frame


# --------------------------------------------------------------------------- save / load: the archive


def save(comparison, path) -> Path:
    """Write the whole Comparison to one archive file that :func:`load` reads back; return its path.

    Parameters
    ----------
    comparison : Comparison
    path : str or path-like
        The file to write (any name; ``.ndz`` is a good one); parent folders are created.

    Returns
    -------
    pathlib.Path
    """
    import numpy as np
    import pandas as pd

    path = Path(path)
    if path.is_dir():
        raise InvalidParameterError(f"path must be a file to save the comparison to; got the folder {str(path)!r}.")
    fields, tables, arrays = {}, {}, {}
    for spec in dataclasses.fields(comparison):
        value = getattr(comparison, spec.name)
        if isinstance(value, (pd.DataFrame, pd.Series)):
            tables[spec.name] = value
        elif isinstance(value, np.ndarray):
            arrays[spec.name] = value
        elif spec.name == "articles":
            fields["articles"] = [_article_dict(a) for a in value]
        else:
            fields[spec.name] = _plain(value)
    from narrativediff import __version__

    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "narrativediff": __version__,
                "fields": fields, "tables": sorted(tables), "arrays": sorted(arrays)}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, table in tables.items():
                archive.writestr(f"tables/{name}.json", json.dumps(_encode_table(table), ensure_ascii=False))
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                archive.writestr(f"{name}.npy", buffer.getvalue())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def load(path):
    """Read a Comparison that :func:`save` wrote.

    Raises
    ------
    InvalidInputError
        The file is missing, not such an archive, damaged, or written by a newer format version.
    """
    import numpy as np

    from narrativediff.comparison import Comparison
    from narrativediff.text.articles import Article

    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"{str(path)!r} is not a file; pass the path that Comparison.save wrote.")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise InvalidInputError(f"{str(path)!r} is not a saved narrativediff comparison.")
            version = manifest.get("format_version")
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise InvalidInputError(
                    f"{str(path)!r} has format version {version!r}; this narrativediff reads up to "
                    f"{FORMAT_VERSION}. Upgrade narrativediff to load it."
                )
            values = dict(manifest["fields"])
            for name in manifest["tables"]:
                values[name] = _decode_table(json.loads(archive.read(f"tables/{name}.json")))
            for name in manifest["arrays"]:
                values[name] = np.load(io.BytesIO(archive.read(f"{name}.npy")), allow_pickle=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        if isinstance(error, InvalidInputError):
            raise
        raise InvalidInputError(f"{str(path)!r} is not a readable saved comparison: {error}.") from None
    known = {f.name for f in dataclasses.fields(Article)}
    values["articles"] = [Article(**{k: v for k, v in a.items() if k in known}) for a in values["articles"]]
    fields = {f.name for f in dataclasses.fields(Comparison)}
    return Comparison(**{name: value for name, value in values.items() if name in fields})
