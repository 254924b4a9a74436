"""The casebook adapter: dbt-spark's adapter with the `session` Python submission method."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from dbt.adapters.base import BaseRelation, PythonJobHelper, available
from dbt.adapters.contracts.connection import AdapterResponse
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.spark.impl import SparkAdapter
from dbt_common.exceptions import DbtRuntimeError

from casebook import paths, settings
from dbt.adapters.casebook import freshness, locations, seeds
from dbt.adapters.casebook.connections import CasebookConnectionManager, project_root
from dbt.adapters.casebook.python_submissions import SessionPythonJobHelper

logger = AdapterLogger("Casebook")


class CasebookAdapter(SparkAdapter):
    ConnectionManager = CasebookConnectionManager

    @property
    def default_python_submission_method(self) -> str:
        return "session"

    @property
    def python_submission_helpers(self) -> dict[str, type[PythonJobHelper]]:
        return {**super().python_submission_helpers, "session": SessionPythonJobHelper}

    def submit_python_job(self, parsed_model: dict, compiled_code: str) -> AdapterResponse:
        """Run a Python model with its dbt vars in scope, so `casebook.settings.load` reads them once."""
        with settings.vars_in_scope(self._vars_of(parsed_model)):
            return super().submit_python_job(parsed_model, compiled_code)

    def _vars_of(self, parsed_model: dict) -> dict[str, Any]:
        """The vars `var()` sees in this model: the project's, then `--vars` on top."""
        node = SimpleNamespace(package_name=parsed_model["package_name"])
        merged = dict(self.config.vars.vars_for(node, self.type()))  # type: ignore[attr-defined]
        return {**merged, **self.config.cli_vars}

    @available
    def raw_data_path(self, relative: str, create_with: str) -> str:
        """Absolute path of a raw data folder; a clear error naming `create_with` if it is absent."""
        folder = paths.raw_dir(project_root()) / relative
        if not folder.is_dir() or not any(folder.iterdir()):
            raise DbtRuntimeError(
                f"Raw data folder {_relative(folder)} is missing or empty. Create it with: {create_with}"
            )
        return folder.as_posix()

    @available
    def seed_values_rows(self, rows: list) -> list[str]:
        """The seed's rows as `(literal, ...)` tuples: NULL for empty cells, text escaped exactly."""
        return seeds.values_rows(rows)

    @available
    def seed_sql_literal(self, value: object) -> str:
        return seeds.sql_literal(value)

    @available
    def free_table_location(self, relation: BaseRelation, location_root: str | None = None) -> None:
        """Before creating a table the metastore does not know: move a leftover folder at its location
        to data/recovered/ (saying so in one line), or fail naming the folder if it is outside data/."""
        location = self._table_location(relation, location_root)
        if location is None:
            return
        stray = locations.find_stray_folder(location, f"{relation.schema}.{relation.identifier}")
        if stray is not None:
            logger.warning(locations.recover(stray, paths.data_dir(project_root())))

    @available
    def files_modified_at(self, relation: BaseRelation) -> str | None:
        """When a file-based table's newest data file was written, as a SQL timestamp literal (None for a
        table without a local folder): the load time of a source that holds no rows."""
        location = self._described_location(f"describe table extended {relation}")
        moment = freshness.newest_file_time(location) if location else None
        return freshness.timestamp_literal(moment) if moment else None

    def _described_location(self, describe_sql: str) -> str | None:
        _, described = self.execute(describe_sql, fetch=True)
        for row in described.rows:
            if str(row[0]).strip().lower() == "location" and row[1]:
                return str(row[1])
        return None

    def _table_location(self, relation: BaseRelation, location_root: str | None) -> str | None:
        """Where Spark puts the table: location_root/identifier, else inside its schema's folder."""
        if location_root:
            return f"{location_root.rstrip('/')}/{relation.identifier}"
        _, described = self.execute(f"describe schema {relation.schema}", fetch=True)
        for name, value in described.rows:
            if str(name).strip().lower() == "location" and value:
                return f"{str(value).rstrip('/')}/{str(relation.identifier).lower()}"
        return None


def _relative(folder: Path) -> str:
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)
