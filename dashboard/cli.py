"""`python -m dashboard ...`: the figures table from the command line.

Bad input ends with one line on standard error and exit status 2, never a traceback. `extract`
given a folder (or --jobs, or --progress) runs as a batch (dashboard/batch.py): a bad file is one
line on standard error and is left out, a summary line ends the run, and the exit status is 1 when
any file failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from dashboard import batch, csvout
from dashboard.batch import ARTICLE_SUFFIXES
from dashboard.checks import CheckError, checks_table
from dashboard.extract import extract_document
from dashboard.ingest import IngestError, parse_date, read_document
from dashboard.reference import ReferenceError
from dashboard.tidy_reference import build_reference

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXTRACTED = REPO / "data" / "extracted"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the figures table of articles as CSV")
    extract.add_argument("files", nargs="+", metavar="PATH",
                         help=".txt, .md or .html articles, or folders of them (read recursively)")
    extract.add_argument("--published", metavar="YYYY-MM-DD",
                         help="publication date (overrides the sidecar's)")
    extract.add_argument("--out", metavar="PATH",
                         help="write the table here instead of stdout (.parquet: as Parquet)")
    extract.add_argument("--format", choices=batch.FORMATS,
                         help="csv or parquet (default: from --out's suffix, else csv)")
    extract.add_argument("--jobs", type=_jobs, metavar="N",
                         help="worker processes for a batch (0 or auto: one per core)")
    extract.add_argument("--progress", action="store_true",
                         help="draw the progress bar even when stderr is not a terminal")
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
    data.add_argument("--raw", metavar="DIR",
                      help="fetched raw files as DIR/<repository>/<path> "
                           "(default: $CLAIMS_DASHBOARD_RAW)")
    _reference_parser(commands)
    return parser


def _reference_parser(commands: argparse._SubParsersAction) -> None:
    """`reference list | add | build`: the reference catalog (data/reference/<dataset>/)."""
    ref = commands.add_parser("reference", help="list the reference catalog, add a dataset")
    actions = ref.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="one line per dataset and per series")
    listing.add_argument("--catalog", metavar="DIR", help="the catalog folder "
                         "(default: data/reference)")
    add = actions.add_parser("add", help="check a CSV table against its source.toml and add "
                             "it to the catalog")
    add.add_argument("table", metavar="TABLE.csv")
    add.add_argument("--source", metavar="SOURCE.toml", required=True,
                     help="its origin record, schema and series (format: data/README.md)")
    add.add_argument("--name", help="the dataset's name (default: the CSV's name)")
    add.add_argument("--catalog", metavar="DIR", help="the catalog folder "
                     "(default: data/reference)")
    add.add_argument("--replace", action="store_true",
                     help="replace a dataset of the same name")
    build = actions.add_parser("build", help="rebuild the catalog's tables from their raw "
                               "files, and data/datapackage.json")
    build.add_argument("--raw", metavar="DIR",
                       help="fetched raw files as DIR/<repository>/<path> "
                            "(default: $CLAIMS_DASHBOARD_RAW)")


def reference_command(args: argparse.Namespace) -> int:
    """`reference list`, `reference add`, `reference build`."""
    from dashboard import reference_add

    if args.action == "list":
        data_dir = Path(args.catalog).parent if args.catalog else REPO / "data"
        for line in reference_add.listing(data_dir):
            print(line)
    elif args.action == "add":
        added = reference_add.add_dataset(args.table, args.source, name=args.name,
                                          catalog=args.catalog, replace=args.replace)
        series = ", ".join(added.series) or "no series"
        print(f"added {added.name}: {added.rows} rows, series {series} ({_shown(added.folder)})")
    else:
        for path in _build_reference(args.raw):
            print(f"wrote {_shown(path)}")
    return 0


def _build_reference(raw: str | None) -> list[Path]:
    built = build_reference(fetched_dir=raw)
    for name, why in built.kept:
        print(f"note: {name} kept as committed ({why})", file=sys.stderr)
    return built.written


def _shown(path: Path) -> Path:
    return path.relative_to(REPO) if path.is_relative_to(REPO) else path


def _jobs(value: str) -> int:
    """--jobs: a number of worker processes; 0 or "auto" for one per core."""
    if value.strip().lower() == "auto":
        return os.cpu_count() or 1
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number or 'auto'") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is negative")
    return jobs or os.cpu_count() or 1


class ExtractionError(RuntimeError):
    """The extractor failed on a readable file: a bug, reported in one line naming the file."""


def extract_files(files: list[str], published: str | None) -> pd.DataFrame:
    """One figures table for all `files`, in the order given; raises on the first bad one.

    IngestError for a file that cannot be read, ExtractionError when the extractor fails. Files
    that share a name get their paths as document ids (dashboard/batch.py).
    """
    result = batch.extract_many(list(files), jobs=1, published=parse_date(published))
    for failure in result.failures[:1]:
        error = IngestError if failure.kind == "input" else ExtractionError
        raise error(failure.message)
    return result.table


def extract_batch(args: argparse.Namespace) -> int:
    """`extract` over folders: bad files reported and left out; exit status 1 if any failed."""
    published = parse_date(args.published)
    articles = batch.collect_articles(args.files)
    draw = args.progress or sys.stderr.isatty()
    bar = batch.ProgressBar(len(articles), sys.stderr) if draw else None
    if bar is not None:
        bar(0, 0)  # workers take a second to start: show the bar before the first file is done
    result = batch.extract_many(articles, jobs=args.jobs or 1, published=published, progress=bar)
    if bar is not None:
        bar.close()
    for failure in result.failures:
        print(f"error: {failure}", file=sys.stderr)
    _emit(result.table, args.out, batch.output_format(args.out, args.format))
    print(result.summary(), file=sys.stderr)
    return 1 if result.failures else 0


def _is_batch(args: argparse.Namespace) -> bool:
    return (args.jobs is not None or args.progress
            or any(os.path.isdir(name) for name in args.files))


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
    document = read_document(path, published=parse_date(published))
    figures = extract_files([path], published)
    checks = checks_table(figures, {figures["document_id"].iloc[0]: document.text}
                          if len(figures) else None)
    for problem in checks.attrs.get("reference_problems", ()):
        print(f"warning: left out, cannot be read: {problem}", file=sys.stderr)
    return figures, checks


def write_data(raw: str | None = None) -> list[Path]:
    """Regenerate every generated table under data/, in the order they depend on each other.

    A reference table whose raw file is not at hand is kept as committed (a note says so).
    """
    written: list[Path] = _build_reference(raw)
    written += write_extracted(EXTRACTED)
    checks_csv = REPO / "data" / "checks.csv"
    documents = [read_document(article) for article in seed_articles()]
    tables = [extract_document(document) for document in documents]
    texts = {document.document_id: document.text for document in documents}
    csvout.to_csv(checks_table(pd.concat(tables, ignore_index=True), texts), checks_csv)
    return [*written, checks_csv]


def _emit(table: pd.DataFrame, out: str | None, format: str = "csv") -> None:
    """Write the table as CSV (or Parquet) to `out`, or to standard output."""
    if format == "parquet":
        if out:
            batch.to_parquet(table, out)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(batch.to_parquet(table))
            sys.stdout.buffer.flush()
    elif out:
        csvout.to_csv(table, out)
    else:
        sys.stdout.write(csvout.to_csv(table))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract" and _is_batch(args):
            return extract_batch(args)
        if args.command == "extract":
            table = extract_files(args.files, args.published)
            _emit(table, args.out, batch.output_format(args.out, args.format))
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
            paths = (write_data(args.raw) if args.out == str(EXTRACTED)
                     else write_extracted(Path(args.out)))
            for path in paths:
                print(f"wrote {_shown(path)}")
        elif args.command == "reference":
            return reference_command(args)
    except IngestError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ExtractionError as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    except (CheckError, ReferenceError) as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # before OSError, of which it is one: `| head` is not an error
        return 0
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
    return 0
