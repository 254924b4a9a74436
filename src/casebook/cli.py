"""The `casebook` command: land raw data in the lake, and query the warehouse."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from casebook import __version__, errors, paths
from casebook.data import landing
from casebook.data.registry import GENERATORS, INGEST_OPTIONS, INGESTERS, ingester

DEFAULT_SEED = 42


def generate(args: argparse.Namespace) -> int:
    raw = paths.raw_dir()
    for domain in args.domain or sorted(GENERATORS):
        counts = landing.land_generated(
            raw, domain, args.scale, args.seed, if_changed=args.if_changed, allow_empty=args.allow_empty
        )
        summary = ", ".join(f"{table} {rows:,} rows" for table, rows in counts.items())
        print(f"{domain} ({args.scale}, seed {args.seed}): {summary} -> {_shown(raw / domain)}")
    return 0


def ingest(args: argparse.Namespace) -> int:
    raw = paths.raw_dir()
    domain, land = ingester(args.format)
    options = _ingest_options(args)
    try:
        counts = landing.land(
            raw,
            domain,
            lambda root: land(args.path, root, **options),
            f"ingested {args.format} {args.path}",
            allow_empty=args.allow_empty,
        )
    except landing.LandingError as error:
        raise landing.LandingError(f"{args.format} {args.path}: {error}") from None
    summary = ", ".join(f"{table} {rows:,} rows" for table, rows in counts.items())
    print(f"{args.format} {args.path}: {summary}")
    return 0


def _ingest_options(args: argparse.Namespace) -> dict[str, object]:
    """The options of the format's ingester, from the flags of the same names; a stray flag is refused."""
    taken = INGEST_OPTIONS.get(args.format, ())
    flags = {"symbol": args.symbol}
    for name, value in flags.items():
        if value is not None and name not in taken:
            takers = ", ".join(sorted(fmt for fmt, options in INGEST_OPTIONS.items() if name in options))
            raise ValueError(f"--{name} applies to {takers} files only: drop it for {args.format}.")
    return {name: flags[name] for name in taken}


def sql(args: argparse.Namespace) -> int:
    from casebook.engine import get_spark

    if (args.statement is None) == (args.file is None):
        raise ValueError(
            "casebook sql takes one statement or --file PATH, not both or neither: "
            'e.g. casebook sql "select 1" or casebook sql --file analyses/chapter_08__pods_headline.sql.'
        )
    if args.file is not None:
        from casebook.sqlfile import compile_sql_file

        statement = compile_sql_file(args.file)
    else:
        statement = args.statement
    result = get_spark().sql(statement)
    if args.format == "table" and args.output is None:
        result.show(args.limit or 20, truncate=False)
        return 0
    _write_result(result.limit(args.limit) if args.limit else result, args.format, args.output)
    return 0


def _write_result(result, form: str, output: Path | None) -> None:
    """A query result as a table, CSV (header row) or JSON lines, to stdout or atomically to `output`.

    The rows come to this process: meant for the small results of an analysis, not for exports."""
    frame = result.toPandas()
    if form == "csv":
        text = frame.to_csv(index=False)
    elif form == "json":
        text = frame.to_json(orient="records", lines=True, date_format="iso")
    else:
        text = frame.to_string(index=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    partial = output.with_name(f".{output.name}.partial")
    partial.write_text(text)
    partial.replace(output)  # the old file or the new one, never half of it
    print(f"{len(frame):,} rows -> {output}")


def serve(args: argparse.Namespace) -> int:
    from casebook.engine import thrift

    server = thrift.start(host=args.host, port=args.port, allow_remote=args.allow_remote)
    print(
        f"Thrift server (pid {server.pid}) serves the warehouse on jdbc:hive2://{server.host}:{server.port}"
    )
    print(f"user {thrift.USER}, password in {_shown(server.password_file)} (or ${thrift.PASSWORD_ENV})")
    print(f"log: {_shown(server.log)}; stop it with `casebook stop`")
    return 0


def stop(args: argparse.Namespace) -> int:
    from casebook.engine import thrift

    server = thrift.stop()
    print(f"stopped the Thrift server (pid {server.pid})" if server else "no Thrift server of this project")
    return 0


def bi(args: argparse.Namespace) -> int:
    from casebook import bi as superset

    if args.bi_command == "stop":
        stopped = superset.stop()
        print(f"stopped Superset (pid {stopped.pid})" if stopped else "no Superset of this project")
        return 0
    server = superset.start(port=args.port)  # loopback only
    print(f"Superset (pid {server.pid}) shows the dashboards of bi/ on {server.url}")
    secret = f"{_shown(server.password_file)} (or ${superset.ADMIN_PASSWORD_ENV})"
    print(f"user {superset.ADMIN_USER}, password in {secret}")
    print(f"log: {_shown(server.log)}; stop it with `casebook bi stop`")
    return 0


def metastore(args: argparse.Namespace) -> int:
    from casebook.engine import postgres, secrets

    folder = args.folder or paths.data_dir() / "postgres"
    if args.metastore_command == "stop":
        postgres.stop(folder)
        print(f"stopped PostgreSQL in {_shown(folder)}")
        return 0
    server = postgres.start(folder, secrets.metastore_password(create=True) or "", args.port)
    print(f"PostgreSQL runs in {_shown(folder)} on 127.0.0.1:{server.port}; share the metastore with:")
    print(f"export CASEBOOK_METASTORE_URL='{server.jdbc_url}'")
    print(f"(the role's password is in {_shown(secrets.metastore_password_file())}, read by Casebook itself)")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: pass a whole number >= 0")
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="casebook", description=__doc__)
    debug_help = "show the Python traceback of a failure (or CASEBOOK_DEBUG=1)"
    root.add_argument("--debug", action="store_true", help=debug_help)
    root.add_argument("--version", action="version", version=f"casebook {__version__}")
    # --debug is also accepted after a command (`casebook data ingest ... --debug`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    commands = root.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="land raw data in data/raw")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    gen = data_commands.add_parser(
        "generate", parents=[common], help="write deterministic synthetic raw data"
    )
    gen.add_argument("--scale", choices=["tiny", "small", "medium", "large"], default="small")
    gen.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help="a whole number >= 0")
    gen.add_argument(
        "--domain",
        action="append",
        choices=sorted(GENERATORS),
        help="only this domain (repeatable); default: all",
    )
    gen.add_argument(
        "--if-changed",
        action="store_true",
        help="skip a domain whose files were already generated with this scale and seed and are complete",
    )
    gen.add_argument("--allow-empty", action="store_true", help="land tables without rows")
    gen.set_defaults(run=generate)

    ing = data_commands.add_parser("ingest", parents=[common], help="load real files of a public format")
    ing.add_argument("format", choices=sorted(INGESTERS))
    ing.add_argument("path", type=Path)
    ing.add_argument("--symbol", help="ticker, when the file names do not carry it")
    ing.add_argument("--allow-empty", action="store_true", help="land tables without rows")
    ing.set_defaults(run=ingest)

    query = commands.add_parser(
        "sql", parents=[common], help="run one SQL statement, or a SQL file rendered by dbt, on the warehouse"
    )
    query.add_argument("statement", nargs="?", help="a Spark SQL statement (or use --file)")
    query.add_argument(
        "--file",
        type=Path,
        help="a .sql file (e.g. analyses/chapter_02__ticks_headline.sql): dbt renders its refs, then it runs",
    )
    query.add_argument(
        "--limit", type=int, help="at most this many rows (default: 20 for a table on screen, else all)"
    )
    query.add_argument(
        "--format", choices=["table", "csv", "json"], default="table", help="json: one object a line"
    )
    query.add_argument(
        "--output", type=Path, help="write the result to this file (atomically) instead of stdout"
    )
    query.set_defaults(run=sql)

    srv = commands.add_parser(
        "serve", parents=[common], help="start the Spark Thrift Server (JDBC/ODBC) over the warehouse"
    )
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=10000)
    srv.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than loopback (other machines can then try the password)",
    )
    srv.set_defaults(run=serve)
    halt = commands.add_parser(
        "stop", parents=[common], help="stop the Thrift server started by `casebook serve`"
    )
    halt.set_defaults(run=stop)

    dashboards = commands.add_parser(
        "bi", parents=[common], help="Apache Superset with the dashboards of bi/, over the Thrift server"
    )
    dashboards.add_argument("bi_command", choices=["start", "stop"])
    dashboards.add_argument(
        "--port", type=int, default=int(os.environ.get("CASEBOOK_BI_PORT", "8088")), help="default 8088"
    )
    dashboards.set_defaults(run=bi)

    meta = commands.add_parser(
        "metastore", parents=[common], help="a local PostgreSQL server for a shared metastore"
    )
    meta.add_argument("metastore_command", choices=["start", "stop"])
    meta.add_argument("--folder", type=Path, help="server folder (default: data/postgres)")
    meta.add_argument("--port", type=int, default=5432)
    meta.set_defaults(run=metastore)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    debug = args.debug or os.environ.get("CASEBOOK_DEBUG", "") not in ("", "0")
    try:
        paths.private_umask()
        return args.run(args)
    except KeyboardInterrupt:
        if debug:
            raise
        print("casebook: interrupted; data landed before is unchanged.", file=sys.stderr)
        return 130
    except Exception as error:  # every failure becomes one sentence unless debugging
        if debug:
            raise
        print(f"casebook: {errors.sentence(error)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
