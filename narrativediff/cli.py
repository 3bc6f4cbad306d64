"""The command line: ``narrativediff compare FILES_OR_FOLDER``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .exceptions import NarrativeDiffError

__all__ = ["main"]


def _articles_from(paths: list[str]):
    from .articles import Article, load_articles

    if len(paths) == 1 and Path(paths[0]).is_dir():
        return load_articles(paths[0])
    articles = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise FileNotFoundError(f"{name!r} is not a file or folder; pass article files or one folder of them.")
        articles.append(Article(source=path.stem, text=path.read_text(encoding="utf-8")))
    return articles


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="narrativediff", description="Compare how outlets tell the same story.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("compare", help="compare articles (files, or one folder with a file per outlet)")
    run.add_argument("paths", nargs="*", metavar="FILES_OR_FOLDER",
                     help="article files, or one folder of them; none: the bundled example")
    run.add_argument("--model", default=None, help="sentence-transformers model name or path (default: bundled)")
    run.add_argument("--top", type=int, default=10, help="how many differently framed pairs to print")
    return parser


def _print_comparison(comparison, top: int) -> None:
    import pandas as pd

    print(comparison)
    print("\nPer outlet:")
    print(comparison.summary().to_string())
    if len(comparison.removed):
        print("\nRemoved by cleaning:")
        for row in comparison.removed.itertuples():
            print(f"  {row.source:>16} line {row.line_no:>3} [{row.reason}] {row.text[:70]}")
    print(f"\nThe {top} most differently framed aligned pairs:")
    with pd.option_context("display.max_colwidth", 80):
        for row in comparison.alignment.sort_values("framing_score", ascending=False).head(top).itertuples():
            print(f"\n  framing {row.framing_score:.2f}, similarity {row.similarity:.2f}")
            print(f"    {row.source_a}: {row.text_a}")
            print(f"    {row.source_b}: {row.text_b}")
            if getattr(row, "explanation", ""):
                print(f"    -> {row.explanation}")
    print("\nSentences no other outlet reports:")
    for row in comparison.unaligned.itertuples():
        print(f"  {row.source:>16}[{row.sent_id}] {row.text[:90]}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    from . import compare, example_path, load_articles

    try:
        articles = _articles_from(args.paths) if args.paths else load_articles(example_path())
        comparison = compare(articles, model=args.model)
    except (NarrativeDiffError, FileNotFoundError) as error:
        print(f"narrativediff: error: {error}", file=sys.stderr)
        return 2
    _print_comparison(comparison, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
