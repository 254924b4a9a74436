"""Seed rows as Spark SQL literals: no parameter binding, so NULLs stay NULL and text round-trips.

dbt-spark binds a seed's values by string formatting (`'%s' % value`): an empty cell becomes the
string 'None' and a quote or a backslash breaks the statement. Here every cell becomes an exact
literal: NULL for an empty cell, a string literal (backslash and quote escaped, as Spark's parser
reads them) for everything else; the seed's SELECT then casts each column to its type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any


def string_literal(text: str) -> str:
    """A Spark SQL string literal that reads back as exactly `text`."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cell_text(value: Any) -> str:
    """The text of one seed cell as Spark casts it to the column's type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def sql_literal(value: Any) -> str:
    """NULL for an empty cell, else the cell's text as a string literal."""
    return "null" if value is None else string_literal(cell_text(value))


def values_rows(rows: Iterable[Sequence[Any]]) -> list[str]:
    """One `(literal, literal, ...)` tuple per row, for a VALUES clause."""
    return ["(" + ", ".join(sql_literal(value) for value in row) + ")" for row in rows]
