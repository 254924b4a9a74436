"""Landing a domain's raw tables atomically: write beside, validate, swap in by rename, marker inside.

A generator or ingester writes `<root>/<domain>/<table>/part-*.parquet` under a fresh sibling folder
`data/raw/.landing-<domain>-<pid>-<token>/`, never into the live one. The new domain folder is then
checked (every source table of the domain present, readable, of one schema, with the expected columns,
rows unless the table may be empty), gets its `.landed` marker and is swapped with the live folder in
one `renameat2(RENAME_EXCHANGE)`; where the system lacks it, two renames with a recoverable `.previous`
folder between them. A crash at any moment leaves the old folder (with its marker) or the new one.

The marker says what was landed (`generated scale=... seed=... casebook=...`, `ingested FORMAT PATH`);
`land_generated` reuses a domain whose marker and tables match, for the CLI's `--if-changed` and the
benchmarks alike.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from casebook import __version__, paths
from casebook.data.registry import generator

MARKER = ".landed"
_LANDING_PREFIX = ".landing-"
_PREVIOUS_SUFFIX = ".previous"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class LandingError(ValueError):
    """New raw data that cannot replace the landed data; the landed data and its marker are untouched."""


@dataclass(frozen=True)
class SourceTable:
    """One raw table dbt reads: its folder under data/raw, the columns it needs, whether it may be empty."""

    domain: str
    table: str
    columns: tuple[str, ...]
    may_be_empty: bool


@cache
def source_tables(root: Path) -> dict[str, tuple[SourceTable, ...]]:
    """The raw tables of every domain, from the dbt sources: meta.raw_path, columns, meta.may_be_empty."""
    found: dict[str, list[SourceTable]] = {}
    for path in sorted((root / "models").glob("**/_*__sources.yml")):
        spec = yaml.safe_load(path.read_text()) or {}
        for source in spec.get("sources", []):
            for table in source.get("tables", []):
                raw_path = (table.get("meta") or {}).get("raw_path")
                if not raw_path:
                    continue
                domain, name = raw_path.split("/", 1)
                columns = tuple(column["name"] for column in table.get("columns", []))
                optional = bool((table.get("meta") or {}).get("may_be_empty"))
                found.setdefault(domain, []).append(SourceTable(domain, name, columns, optional))
    return {domain: tuple(tables) for domain, tables in found.items()}


def land(
    raw: Path,
    domain: str,
    write: Callable[[Path], dict[str, int]],
    marker_text: str,
    *,
    allow_empty: bool = False,
) -> dict[str, int]:
    """Run `write(root)` (it writes root/<domain>/<table>/), validate, then swap the domain folder in.

    Tables of the live folder that `write` does not produce are carried over unchanged (hard links).
    Returns `write`'s row counts. On any failure the live folder and its marker stay as they were.
    """
    raw.mkdir(parents=True, exist_ok=True)
    recover(raw, domain)
    workspace = raw / f"{_LANDING_PREFIX}{domain}-{os.getpid()}-{secrets.token_hex(4)}"
    workspace.mkdir()
    try:
        counts = write(workspace)
        new = workspace / domain
        new.mkdir(exist_ok=True)
        live = raw / domain
        _carry_over(live, new)
        try:
            validate(new, domain, allow_empty=allow_empty)
        except LandingError as error:
            kept = f"the {domain} data landed before is unchanged"
            raise LandingError(f"{error} Nothing was landed: {kept}.") from None
        _write_file(new / MARKER, marker_text)
        _sync_tree(new)
        _swap(new, live)
        _sync_dir(raw)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    return counts


def generated_marker(scale: str, seed: int) -> str:
    """The marker text of a generated domain: its scale, seed and the casebook version that wrote it."""
    return f"generated scale={scale} seed={seed} casebook={__version__}"


def land_generated(
    raw: Path,
    domain: str,
    scale: str,
    seed: int,
    *,
    if_changed: bool = False,
    allow_empty: bool = False,
    report: Callable[[str], None] = print,
) -> dict[str, int]:
    """Land the domain's generated data for (scale, seed); with `if_changed`, keep a complete landing
    of the same (scale, seed, casebook version) instead (then the counts are read from its files)."""
    marker_text = generated_marker(scale, seed)
    if if_changed:
        recover(raw, domain)
        problem = landed_problem(raw / domain, domain, marker_text)
        if problem is None:
            report(f"{domain}: already {marker_text}")
            return validate(raw / domain, domain, allow_empty=True)
        if (raw / domain).exists():
            report(f"{domain}: generating again: {problem}")
    write = generator(domain)
    return land(raw, domain, lambda root: write(root, scale, seed), marker_text, allow_empty=allow_empty)


def landed_problem(folder: Path, domain: str, marker_text: str) -> str | None:
    """Why `folder` does not hold a complete landing made as `marker_text` (None when it does)."""
    marker = folder / MARKER
    if not marker.is_file():
        return f"{folder} has no {MARKER} marker"
    if marker.read_text() != marker_text:
        return f"{folder} holds other data ({marker.read_text()})"
    try:
        validate(folder, domain, allow_empty=True)
    except LandingError as error:
        return f"{folder}: {error}"
    return None


def validate(folder: Path, domain: str, *, allow_empty: bool) -> dict[str, int]:
    """Row counts of the domain's tables in `folder`; LandingError naming the first problem."""
    tables = source_tables(paths.project_root()).get(domain, ())
    counts = {}
    for table in tables:
        counts[table.table] = _validate_table(folder / table.table, table)
    empty = [name for name, rows in counts.items() if rows == 0 and not _optional(tables, name)]
    if empty and not allow_empty:
        raise LandingError(
            f"The new {domain} data has no rows in {', '.join(empty)}: check the input files "
            "(pass --allow-empty to land empty tables on purpose)."
        )
    return counts


def recover(raw: Path, domain: str) -> None:
    """Undo an interrupted swap (restore `.previous` if the live folder is missing); drop leftovers."""
    if not raw.is_dir():
        return
    live, previous = raw / domain, raw / f".{domain}{_PREVIOUS_SUFFIX}"
    if previous.exists():
        if live.exists():
            shutil.rmtree(previous)
        else:
            os.rename(previous, live)
    for leftover in raw.glob(f"{_LANDING_PREFIX}{domain}-*"):
        pid = leftover.name.removeprefix(f"{_LANDING_PREFIX}{domain}-").split("-", 1)[0]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


# --------------------------------------------------------------------------- checks


def _optional(tables: tuple[SourceTable, ...], name: str) -> bool:
    return any(table.table == name and table.may_be_empty for table in tables)


def _validate_table(folder: Path, table: SourceTable) -> int:
    where = f"The {table.domain}/{table.table} table"
    parts = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not parts:
        raise LandingError(f"{where} has no Parquet file.")
    schema = None
    rows = 0
    for part in parts:
        if part.stat().st_size == 0:
            raise LandingError(f"{where}'s {part.name} is an empty file, not Parquet.")
        try:
            metadata = pq.read_metadata(part)
            part_schema = pq.read_schema(part)
        except Exception as error:  # pyarrow raises ArrowInvalid, OSError, ... for unreadable files
            raise LandingError(f"{where}'s {part.name} is not readable Parquet ({error}).") from None
        if schema is None:
            schema = part_schema
        elif not part_schema.equals(schema):
            raise LandingError(f"{where}'s {part.name} has another schema than {parts[0].name}.")
        rows += metadata.num_rows
    missing = [column for column in table.columns if column not in schema.names]
    if missing:
        raise LandingError(f"{where} lacks the columns {missing}.")
    untyped = [field.name for field in schema if str(field.type) == "null"]
    if untyped:
        raise LandingError(f"{where}'s columns {untyped} have no type (only nulls were written).")
    return rows


# --------------------------------------------------------------------------- file system


def _carry_over(live: Path, new: Path) -> None:
    """Hard-link the live tables that the writer did not produce into the new domain folder."""
    if not live.is_dir():
        return
    for table in live.iterdir():
        if table.is_dir() and not (new / table.name).exists():
            shutil.copytree(table, new / table.name, copy_function=os.link)


def _write_file(path: Path, text: str) -> None:
    with path.open("w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_tree(folder: Path) -> None:
    """Flush every file of `folder` to disk before it is renamed into place."""
    for directory, _, files in os.walk(folder):
        for name in files:
            descriptor = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        _sync_dir(Path(directory))


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _swap(new: Path, live: Path) -> None:
    """Put `new` at `live`; the old live folder ends up at `new`'s path (to be deleted)."""
    if not live.exists():
        os.rename(new, live)
        return
    if _exchange(new, live):
        return
    previous = live.with_name(f".{live.name}{_PREVIOUS_SUFFIX}")
    os.rename(live, previous)  # a crash here: recover() renames it back
    os.rename(new, live)
    os.rename(previous, new)


@cache
def _renameat2() -> Callable | None:
    library = ctypes.util.find_library("c")
    try:
        function = ctypes.CDLL(library, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one system call (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    function = _renameat2()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(second))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
