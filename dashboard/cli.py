"""`python -m dashboard ...`: the figures table from the command line.

Bad input ends with one line on standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from dashboard import csvout
from dashboard.checks import CheckError, checks_table
from dashboard.extract import extract_document
from dashboard.ingest import IngestError, parse_date, read_document
from dashboard.reference import ReferenceError
from dashboard.schema import figures_frame
from dashboard.tidy_reference import RAW_DIR as RAW_REFERENCE
from dashboard.tidy_reference import build_reference

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXTRACTED = REPO / "data" / "extracted"
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".markdown", ".text")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the figures table of articles as CSV")
    extract.add_argument("files", nargs="+", metavar="FILE", help=".txt, .md or .html articles")
    extract.add_argument("--published", metavar="YYYY-MM-DD",
                         help="publication date (overrides the sidecar's)")
    extract.add_argument("--out", metavar="PATH", help="write the CSV here instead of stdout")
    check = commands.add_parser("check", help="print the checks table of an article as CSV")
    check.add_argument("article", nargs="?", metavar="ARTICLE",
                       help="a .txt, .md or .html article (the seed by default)")
    check.add_argument("--published", metavar="YYYY-MM-DD",
                       help="publication date (overrides the sidecar's)")
    check.add_argument("--out", metavar="PATH", help="write the CSV here instead of stdout")
    serve = commands.add_parser("serve", help="run the dashboard (the seed article first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    export_cmd = commands.add_parser(
        "export", help="write every chart as PNG and every table as CSV, without a browser")
    export_cmd.add_argument("article", nargs="?", metavar="ARTICLE",
                            help="a .txt, .md or .html article (the seed by default)")
    export_cmd.add_argument("--published", metavar="YYYY-MM-DD")
    export_cmd.add_argument("--out", metavar="DIR", required=True, help="the folder to write")
    data = commands.add_parser(
        "data", help="regenerate data/: reference tables, extracted figures, checks.csv")
    data.add_argument("--out", metavar="DIR", default=str(EXTRACTED), help=argparse.SUPPRESS)
    return parser


class ExtractionError(RuntimeError):
    """The extractor failed on a readable file: a bug, reported in one line naming the file."""


def extract_files(files: list[str], published: str | None) -> pd.DataFrame:
    """One figures table for all `files`; raises IngestError on the first bad one."""
    date = parse_date(published)
    tables = []
    seen: set[str] = set()
    for name in files:
        document = read_document(name, published=date)
        if document.document_id in seen:
            raise IngestError(f"{name}: another file has the same name ({document.document_id})")
        seen.add(document.document_id)
        try:
            tables.append(extract_document(document))
        except Exception as err:  # a bug in the extractor must still end in one clear line
            raise ExtractionError(
                f"{name}: the extractor failed ({type(err).__name__}: {err}); "
                "please report this file") from err
    if not tables:
        return figures_frame([])
    return pd.concat(tables, ignore_index=True)


def seed_articles(seeds: Path = SEEDS) -> list[Path]:
    return sorted(p for p in seeds.iterdir() if p.suffix in ARTICLE_SUFFIXES)


def write_extracted(out_dir: Path, seeds: Path = SEEDS) -> list[Path]:
    """Write `<document_id>.csv` for every seed article; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for article in seed_articles(seeds):
        table = extract_document(read_document(article))
        path = out_dir / f"{article.stem}.csv"
        csvout.to_csv(table, path)
        written.append(path)
    return written


def article_tables(article: str | None, published: str | None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures and checks tables of an article (the seed when none is given)."""
    path = article or str(seed_articles()[0])
    figures = extract_files([path], published)
    return figures, checks_table(figures)


def write_data() -> list[Path]:
    """Regenerate every generated table under data/, in the order they depend on each other."""
    written: list[Path] = []
    if RAW_REFERENCE.is_dir():
        written += build_reference()
    else:
        print(f"note: {RAW_REFERENCE} not found; data/reference kept as committed",
              file=sys.stderr)
    written += write_extracted(EXTRACTED)
    checks_csv = REPO / "data" / "checks.csv"
    tables = [extract_document(read_document(article)) for article in seed_articles()]
    csvout.to_csv(checks_table(pd.concat(tables, ignore_index=True)), checks_csv)
    return [*written, checks_csv]


def _emit(table: pd.DataFrame, out: str | None) -> None:
    """Write the table as CSV to `out`, or to standard output."""
    if out:
        csvout.to_csv(table, out)
    else:
        sys.stdout.write(csvout.to_csv(table))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            _emit(extract_files(args.files, args.published), args.out)
        elif args.command == "check":
            _emit(article_tables(args.article, args.published)[1], args.out)
        elif args.command == "serve":
            from dashboard.app import serve  # the app (and its charts) only when serving

            serve(args.host, args.port)
        elif args.command == "export":
            from dashboard.export import BrowserNotFoundError, export_all  # only when exporting

            figures, checks = article_tables(args.article, args.published)
            try:
                paths = export_all(Path(args.out), figures, checks)
            except BrowserNotFoundError as err:
                print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
                return 2
            for path in paths:
                print(f"wrote {path}")
        elif args.command == "data":
            paths = write_data() if args.out == str(EXTRACTED) else write_extracted(Path(args.out))
            for path in paths:
                print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    except IngestError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ExtractionError as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    except (CheckError, ReferenceError) as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0
