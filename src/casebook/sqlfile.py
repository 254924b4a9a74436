"""`casebook sql --file PATH`: render a SQL file with dbt (refs, sources, vars) and return the SQL to run.

The file is compiled in this process by dbt's own `compile --inline`, against this project and its
profiles, so `{{ ref('fct_trades') }}` becomes the warehouse table the last build wrote. Any .sql file
works: the analyses under analyses/ (one per chapter) or one of your own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from casebook import paths


class SqlFileError(ValueError):
    """A SQL file that cannot be read or compiled: one sentence naming it and what to do."""


def read_sql_file(path: Path) -> str:
    """The text of a .sql file; a missing, unreadable or empty file is refused in one sentence."""
    if not path.is_file():
        where = "is a folder" if path.is_dir() else "does not exist"
        raise SqlFileError(
            f"{path} {where}: pass the path of a .sql file, e.g. analyses/chapter_02__ticks_headline.sql."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SqlFileError(f"{path} is not UTF-8 text: pass a .sql file.") from None
    if not text.strip():
        raise SqlFileError(f"{path} is empty: write one select statement in it.")
    return text


def compile_sql_file(path: Path, root: Path | None = None) -> str:
    """The SQL of the file with its Jinja rendered by dbt (refs resolved to the warehouse's tables)."""
    from dbt.cli.main import dbtRunner

    errors: list[str] = []

    def keep_errors(event) -> None:  # dbt's EventMsg: its level and message
        if event.info.level == "error":
            errors.append(event.info.msg)

    text = read_sql_file(path)
    root = root or paths.project_root()
    profiles = os.environ.get("DBT_PROFILES_DIR") or str(root / "profiles")
    command = [
        "compile",
        "--inline",
        text,
        "--project-dir",
        str(root),
        "--profiles-dir",
        profiles,
        "--no-populate-cache",
        "--log-level",
        "none",
    ]
    result = dbtRunner(callbacks=[keep_errors]).invoke(command)
    if not result.success or result.result is None or not result.result.results:
        raise SqlFileError(f"{path} does not compile: {_dbt_reason(errors, result.exception)}")
    compiled = result.result.results[0].node.compiled_code
    if not compiled or not compiled.strip():
        raise SqlFileError(f"{path} compiles to no SQL: write one select statement in it.")
    return compiled.strip().rstrip(";")


def _dbt_reason(errors: list[str], exception: BaseException | None) -> str:
    """dbt's first specific error in one line (not its 'Encountered an error' summary), and what to do."""
    specific = []
    for message in errors:
        if message.startswith("Encountered an error"):
            continue
        if message.startswith("Error while parsing node"):  # its first line names dbt's inline node
            message = message.partition("\n")[2]
        if message.strip():
            specific.append(message)
    message = specific[0] if specific else str(exception or "dbt reported an error")
    # "Sql_Operation 'sql_operation.casebook.inline_query' (from remote system.sql) depends on ..."
    message = re.sub(r"^Sql_Operation '[^']*' \(from remote system\.sql\) ", "", message.strip())
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    reason = " ".join(lines).rstrip(".")
    if reason.startswith("depends on"):
        reason = f"it {reason}"
    return f"{reason}; fix the SQL (a ref must name a model of this project) and run again."
