"""Command line: ``python -m knowledge load|check`` (see ``--help``)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from knowledge.db import DATABASE_URL_ENV, default_database_url, make_engine
from knowledge.loader import DATA_DIR, DataFileError, load_data_dir, load_into_database

EXIT_DATA_ERROR = 1
EXIT_DATABASE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the knowledge-base CLI."""
    parser = argparse.ArgumentParser(
        prog="python -m knowledge",
        description="Validate the knowledge-base data files and load them into the database.",
        epilog="Exit status: 0 ok, 1 bad data file, 2 database error.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="validate the data files, then replace the database content")
    load.add_argument(
        "--database-url",
        help=f"SQLAlchemy URL (default: ${DATABASE_URL_ENV}, else sqlite:///<repo>/knowledge.db)",
    )
    check = commands.add_parser("check", help="validate the data files only; no database")
    for command in (load, check):
        command.add_argument("--data-dir", default=str(DATA_DIR), help="directory of the YAML files")
    return parser


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {table}" for table, count in counts.items())


def _safe_url(url: str) -> str:
    # Never echo a password to the terminal or a CI log.
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "<unparsable database URL>"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        data = load_data_dir(args.data_dir)
    except DataFileError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_DATA_ERROR
    if args.command == "check":
        print(f"ok: {args.data_dir}: {_summary(data.counts())}")
        return 0

    url = args.database_url or default_database_url()
    shown_url = _safe_url(url)
    engine = None
    try:
        engine = make_engine(url)
        counts = load_into_database(engine, data)
    except SQLAlchemyError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        print(f"error: database {shown_url}: {reason}", file=sys.stderr)
        return EXIT_DATABASE_ERROR
    finally:
        if engine is not None:
            engine.dispose()
    print(f"loaded into {shown_url}: {_summary(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
