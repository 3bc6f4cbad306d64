"""The command line: ``narrativediff compare FILES_OR_FOLDER [--html R.html] [--csv DIR] [--excel F.xlsx]
[--json F.json] [--save F.ndz] [--model NAME] [--quiet | --verbose]``; ``narrativediff corpus
FOLDER_OR_FILE [--csv DIR] [--parquet DIR] [--json F.json] [--engine dask] [--cache DIR] ...`` for a
corpus of many stories (:func:`narrativediff.compare_corpus`, ``--html`` for its view as a page); and
``narrativediff --version``.

With no path it compares the bundled example. ``--quiet`` prints nothing but the files written (no
model loading bar, no progress); ``--verbose`` logs every stage as it starts and ends on stderr
(the library's ``logging`` messages, which are silent by default). Every bad input (a missing file, a single article, a
file that is not UTF-8, a model that cannot be loaded, an output that cannot be written) ends with
one line ``narrativediff: error: <the library's message>`` on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from narrativediff.exceptions import NarrativeDiffError

__all__ = ["main"]


def _articles_from(paths: list[str], encoding: str):
    from narrativediff.exceptions import InvalidInputError
    from narrativediff.text.articles import load_articles, read_article

    if len(paths) == 1 and Path(paths[0]).is_dir():
        return load_articles(paths[0], encoding=encoding)
    articles = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            raise InvalidInputError(
                f"{name!r} is a folder; pass one folder of article files, or article files, not both."
            )
        if not path.is_file():
            raise InvalidInputError(f"{name!r} is not a file or folder; pass article files or one folder of them.")
        articles.append(read_article(path, encoding=encoding))
    return articles


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0; got {value!r}")
    return number


def _parser() -> argparse.ArgumentParser:
    from narrativediff import __version__

    parser = argparse.ArgumentParser(
        prog="narrativediff", description="Compare how outlets tell the same story.",
        epilog="example: narrativediff compare articles/ --html report.html --csv tables/",
    )
    parser.add_argument("--version", action="version", version=f"narrativediff {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("compare", help="compare articles (files, or one folder with a file per outlet)")
    run.add_argument("paths", nargs="*", metavar="FILES_OR_FOLDER",
                     help="article files, or one folder of them; none: the bundled example")
    run.add_argument("--encoding", default="utf-8",
                     help="the article files' text encoding, e.g. latin-1 (default: utf-8)")
    run.add_argument("--model", default=None, help="sentence-transformers model name or path (default: bundled)")
    run.add_argument("--top", type=_count, default=10, help="how many differently framed pairs to print")
    run.add_argument("--html", metavar="REPORT.html", default=None,
                     help="write a self-contained HTML report (the notebook view with plots) there")
    run.add_argument("--csv", metavar="DIR", default=None, help="write every table as DIR/<table>.csv")
    run.add_argument("--excel", metavar="FILE.xlsx", default=None, help="write every table as a sheet of FILE.xlsx")
    run.add_argument("--json", metavar="FILE.json", default=None,
                     help="write every table as JSON records, with the comparison's metadata")
    run.add_argument("--save", metavar="FILE.ndz", default=None,
                     help="save the whole comparison (nd.Comparison.load reads it back)")
    _noise_options(run, "print only the files written: no progress bar, no model loading bar")
    _corpus_parser(commands)
    return parser


def _noise_options(run, quiet_help: str) -> None:
    """``--quiet`` or ``--verbose`` (not both), as every command takes them."""
    noise = run.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help=quiet_help)
    noise.add_argument("--verbose", "-v", action="store_true", help="log each stage as it runs (on stderr)")


def _days(value: str):
    if value.lower() == "none":
        return None
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    if not days > 0:
        raise argparse.ArgumentTypeError(f"must be a number of days > 0, or none; got {value!r}")
    return days


def _cut(value: str):
    if value == "auto":
        return value
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be auto or a number; got {value!r}") from None


def _corpus_parser(commands) -> None:
    run = commands.add_parser(
        "corpus", help="find the stories in a corpus of many outlets' articles and compare each",
        description="Find the stories in a corpus (a folder of one subfolder per outlet, or a .parquet or "
                    ".jsonl file of articles) and compare each story's outlets.",
        epilog="example: narrativediff corpus articles.parquet --cache .nd-cache --csv corpus-tables/")
    run.add_argument("source", metavar="FOLDER_OR_FILE",
                     help="a folder (one subfolder of .txt articles per outlet, or .parquet/.jsonl files), "
                          "or one .parquet or .jsonl file with source and text (or html) columns")
    run.add_argument("--model", default=None, help="sentence-transformers model name or path (default: bundled)")
    run.add_argument("--engine", default=None, metavar="in-process|dask|ADDRESS",
                     help="where the work runs: this process (default), a local Dask cluster (dask), or a "
                          "Dask scheduler address such as tcp://127.0.0.1:8786")
    run.add_argument("--cache", metavar="DIR", default=None,
                     help="keep embeddings on disk there: a rerun embeds only what is missing")
    run.add_argument("--threshold", type=_cut, default="auto",
                     help="story-detection cut on article cosine, or auto (default)")
    run.add_argument("--window", type=_days, default=7.0, metavar="DAYS",
                     help="articles further apart than this are never one story; none ignores dates (default 7)")
    run.add_argument("--stories-only", action="store_true",
                     help="find the stories and stop: no comparison of each story (one encoding of each sentence)")
    run.add_argument("-k", type=_count, default=2,
                     help="blindspots: stories an outlet leaves out while k independent outlets report them (default 2)")
    run.add_argument("--top", type=_count, default=10, help="how many stories to print (those most outlets tell)")
    run.add_argument("--html", metavar="REPORT.html", default=None,
                     help="write the corpus view (outlets, stories, blindspots, framing) as one HTML page there")
    run.add_argument("--csv", metavar="DIR", default=None, help="write every corpus table as DIR/<table>.csv")
    run.add_argument("--parquet", metavar="DIR", default=None,
                     help="write every corpus table as DIR/<table>.parquet, with metadata.json (needs pyarrow)")
    run.add_argument("--json", metavar="FILE.json", default=None,
                     help="write every corpus table as JSON records, with the run's metadata")
    _noise_options(run, "print only the files written: no progress bars")


def _check_outputs(args) -> None:
    """Refuse output paths that cannot work, or would overwrite an input, before the comparison runs."""
    inputs = set()
    for name in args.paths:
        path = Path(name)
        inputs.update(p.resolve() for p in path.iterdir()) if path.is_dir() else inputs.add(path.resolve())
    _refuse_outputs(
        files=(("--html", args.html), ("--excel", args.excel), ("--json", args.json), ("--save", args.save)),
        folders=(("--csv", args.csv, "CSV"),), inputs=inputs,
        overwrite="which is one of the articles to compare; writing there would overwrite it. Name another file.")


def _refuse_outputs(*, files, folders, inputs, overwrite: str) -> None:
    """Raise :class:`InvalidParameterError` for an output path that cannot work or is an input.

    ``files`` are ``(option, value)`` pairs naming files to write, ``folders`` ``(option, value,
    kind)`` triples naming folders for ``kind`` files; ``inputs`` the resolved input paths, and
    ``overwrite`` what the message says of an output that is one of them.
    """
    from narrativediff.exceptions import InvalidParameterError

    for option, value in files:
        if value and Path(value).is_dir():
            raise InvalidParameterError(f"{option} must name a file to write; got the folder {value!r}.")
    for option, value, kind in folders:
        if value and Path(value).exists() and not Path(value).is_dir():
            raise InvalidParameterError(f"{option} must name a folder for the {kind} files; got the file {value!r}.")
    for option, value in (*files, *((option, value) for option, value, _ in folders)):
        if value and Path(value).resolve() in inputs:
            raise InvalidParameterError(f"{option} names {value!r}, {overwrite}")


def _write_outputs(comparison, args) -> list[str]:
    written = []
    if args.html:
        comparison.to_html(args.html)
        written.append(f"HTML report: {args.html}")
    if args.csv:
        paths = comparison.to_csv(args.csv)
        written.append(f"CSV tables ({', '.join(paths)}): {args.csv}")
    if args.excel:
        comparison.to_excel(args.excel)
        written.append(f"Excel workbook: {args.excel}")
    if args.json:
        comparison.to_json(args.json)
        written.append(f"JSON tables: {args.json}")
    if args.save:
        comparison.save(args.save)
        written.append(f"saved comparison (nd.Comparison.load): {args.save}")
    return written


def _print_comparison(comparison, top: int) -> None:
    import pandas as pd

    print(comparison)
    print("\nPer outlet:")
    print(comparison.summary().to_string())
    if len(comparison.removed):
        print("\nRemoved by cleaning:")
        for row in comparison.removed.itertuples():
            print(f"  {row.source:>16} line {row.line_no:>3} [{row.reason}] {row.text[:70]}")
    n_same = len(comparison.differences())
    shown = comparison.differences(top, per_sentence=1)
    print(f"\nThe {len(shown)} most differently framed of the {n_same} pairs that report the same claim "
          "(each sentence once):")
    if not len(shown):
        print("  (none: no aligned pair reaches the same-claim decision)")
    with pd.option_context("display.max_colwidth", 80):
        for row in shown.itertuples():
            probability = getattr(row, "p_same_claim", getattr(row, "probability", float("nan")))
            print(f"\n  framing {row.framing_score:.2f}, similarity {row.similarity:.2f}, "
                  f"P(same claim) {probability:.2f}")
            print(f"    {row.source_a}: {row.text_a}")
            print(f"    {row.source_b}: {row.text_b}")
            if getattr(row, "explanation", ""):
                print(f"    -> {row.explanation}")
    print("\nSentences no other outlet reports:")
    for row in comparison.unaligned.itertuples():
        print(f"  {row.source:>16}[{row.sent_id}] {row.text[:90]}")


@contextlib.contextmanager
def _logging(args):
    """--verbose: the library's stage messages on stderr while the command runs; otherwise none."""
    import logging

    if not getattr(args, "verbose", False):
        yield
        return
    logger = logging.getLogger("narrativediff")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("narrativediff: %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _check_corpus_outputs(args) -> None:
    """Refuse output paths that cannot work, or would overwrite the corpus, before the run."""
    _refuse_outputs(files=(("--html", args.html), ("--json", args.json)),
                    folders=(("--csv", args.csv, "CSV"), ("--parquet", args.parquet, "Parquet")),
                    inputs={Path(args.source).resolve()},
                    overwrite="the corpus itself; writing there would overwrite it. Name another path.")


def _print_corpus(corpus, args) -> None:
    import pandas as pd

    print(corpus)
    print("\nPer outlet:")
    print(corpus.summary().to_string())
    stories = corpus.top_stories(args.top)
    print(f"\nThe {len(stories)} stories most outlets tell (of {len(corpus.stories)}):")
    with pd.option_context("display.max_colwidth", 70, "display.width", 160):
        columns = ["story_id", "n_outlets", "n_articles", "first_published", "n_pairs", "headline"]
        print(stories[columns].to_string(index=False))
    blind = corpus.blindspots(args.k)
    print(f"\nBlindspots (stories at least {args.k} independent outlets report): {len(blind)}")
    for row in blind.head(args.top).itertuples():
        print(f"  {row.source:>16} leaves out story {row.story_id}: {str(row.headline)[:80]}")
    if len(blind) > args.top:
        print(f"  ... {len(blind) - args.top} more (--csv or --json writes them all)")
    if len(corpus.story_framing):
        scores = corpus.framing_scores()
        print("\nMean framing score per outlet across its stories (same-claim pairs), 95% interval:")
        for row in scores.itertuples():
            print(f"  {row.source:>16} {row.framing_score:.2f} [{row.framing_score_low:.2f}, "
                  f"{row.framing_score_high:.2f}] over {row.n_stories} stories, {row.n_pairs} pairs")


def _write_corpus_outputs(corpus, args) -> list[str]:
    written = []
    options = {"k": args.k}
    if args.html:
        corpus.to_html(args.html, **options)
        written.append(f"HTML report: {args.html}")
    if args.csv:
        paths = corpus.to_csv(args.csv, **options)
        written.append(f"CSV tables ({', '.join(paths)}): {args.csv}")
    if args.parquet:
        paths = corpus.to_parquet(args.parquet, **options)
        written.append(f"Parquet tables ({', '.join(paths)}): {args.parquet}")
    if args.json:
        corpus.to_json(args.json, **options)
        written.append(f"JSON tables: {args.json}")
    return written


def _run_corpus(args) -> list[str]:
    from narrativediff import compare_corpus
    from narrativediff.embed import EmbeddingCache

    _check_corpus_outputs(args)
    cache = EmbeddingCache(directory=args.cache) if args.cache else None
    with _logging(args):
        corpus = compare_corpus(args.source, model=args.model, engine=args.engine, cache=cache,
                                threshold=args.threshold, window=args.window,
                                compare_stories=not args.stories_only, progress=not args.quiet)
    if not args.quiet:
        _print_corpus(corpus, args)
    return _write_corpus_outputs(corpus, args)


def _run_compare(args) -> list[str]:
    from narrativediff import compare, example_path, load_articles

    _check_outputs(args)
    articles = _articles_from(args.paths, args.encoding) if args.paths else load_articles(example_path())
    with _logging(args):
        comparison = compare(articles, model=args.model, show_progress_bar=not args.quiet)
    if not args.quiet:
        _print_comparison(comparison, args.top)
    return _write_outputs(comparison, args)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        written = (_run_corpus if args.command == "corpus" else _run_compare)(args)
    except (NarrativeDiffError, OSError) as error:
        # OSError: an output path that cannot be written (missing rights, a folder where a file goes).
        print(f"narrativediff: error: {error}", file=sys.stderr)
        return 2
    if written:
        print(("\n" if not args.quiet else "") + "\n".join(f"Wrote {line}" for line in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
