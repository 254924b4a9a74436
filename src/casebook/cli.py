"""The `casebook` command: land raw data in the lake, and query the warehouse."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from casebook import __version__, paths
from casebook.data.registry import GENERATORS, INGESTERS, generator, ingester

DEFAULT_SEED = 42


def _marker(raw: Path, domain: str) -> Path:
    return raw / domain / ".landed"


def generate(args: argparse.Namespace) -> int:
    raw = paths.raw_dir()
    domains = args.domain or sorted(GENERATORS)
    for domain in domains:
        landed = f"generated scale={args.scale} seed={args.seed} casebook={__version__}"
        marker = _marker(raw, domain)
        if args.if_changed and marker.is_file() and marker.read_text() == landed:
            print(f"{domain}: already {landed}")
            continue
        counts = generator(domain)(raw, args.scale, args.seed)
        marker.write_text(landed)
        summary = ", ".join(f"{table} {rows:,} rows" for table, rows in counts.items())
        print(f"{domain} ({args.scale}, seed {args.seed}): {summary} -> {_shown(raw / domain)}")
    return 0


def ingest(args: argparse.Namespace) -> int:
    raw = paths.raw_dir()
    domain, land = ingester(args.format)
    counts = land(args, raw)
    _marker(raw, domain).write_text(f"ingested {args.format} {args.path}")
    summary = ", ".join(f"{table} {rows:,} rows" for table, rows in counts.items())
    print(f"{args.format} {args.path}: {summary}")
    return 0


def sql(args: argparse.Namespace) -> int:
    from casebook.engine import get_spark

    spark = get_spark()
    spark.sql(args.statement).show(args.limit, truncate=False)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="casebook", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="land raw data in data/raw")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    gen = data_commands.add_parser("generate", help="write deterministic synthetic raw data")
    gen.add_argument("--scale", choices=["tiny", "small", "medium", "large"], default="small")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    gen.add_argument(
        "--domain",
        action="append",
        choices=sorted(GENERATORS),
        help="only this domain (repeatable); default: all",
    )
    gen.add_argument(
        "--if-changed",
        action="store_true",
        help="skip a domain whose files were already generated with this scale and seed",
    )
    gen.set_defaults(run=generate)

    ing = data_commands.add_parser("ingest", help="load real files of a public format")
    ing.add_argument("format", choices=sorted(INGESTERS))
    ing.add_argument("path", type=Path)
    ing.add_argument("--symbol", help="ticker, when the file names do not carry it")
    ing.set_defaults(run=ingest)

    query = commands.add_parser("sql", help="run one SQL statement on the warehouse")
    query.add_argument("statement")
    query.add_argument("--limit", type=int, default=20)
    query.set_defaults(run=sql)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError, paths.ProjectNotFoundError) as error:
        print(f"casebook: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
