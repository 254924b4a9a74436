"""The casebook adapter: dbt-spark's adapter with the `session` Python submission method."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

from dbt.adapters.base import BaseRelation, ConstraintSupport, PythonJobHelper, available
from dbt.adapters.contracts.connection import AdapterResponse
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.spark.impl import SparkAdapter
from dbt_common.contracts.constraints import ConstraintType
from dbt_common.exceptions import DbtRuntimeError

from casebook import paths, settings
from dbt.adapters.casebook import contracts, freshness, locations, seeds
from dbt.adapters.casebook.connections import CasebookConnectionManager, project_root
from dbt.adapters.casebook.python_submissions import SessionPythonJobHelper

logger = AdapterLogger("Casebook")


class CasebookAdapter(SparkAdapter):
    ConnectionManager = CasebookConnectionManager

    # Delta enforces NOT NULL (declared in the CREATE) and CHECK; keys are informational on open-source Delta.
    CONSTRAINT_SUPPORT: ClassVar[dict[ConstraintType, ConstraintSupport]] = {
        **SparkAdapter.CONSTRAINT_SUPPORT,
        ConstraintType.not_null: ConstraintSupport.ENFORCED,
        ConstraintType.check: ConstraintSupport.ENFORCED,
    }

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

    def _build_spark_relation_list(self, row_list: Any, relation_info_func: Callable) -> list[BaseRelation]:
        """The schema's tables and views, without the session's temporary views: `show table extended
        in <schema>` lists those too (with no schema), and `dbt docs generate` in a process that
        already ran dbt would fail on them."""
        kept = [row for row in row_list if not is_temporary(row)]
        return super()._build_spark_relation_list(kept, relation_info_func)

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
    def contract_column_ddl(self, columns: dict) -> list[str]:
        """`name type [not null]` for each column of an enforced contract, for the CREATE TABLE."""
        return contracts.column_ddl(columns)

    @available
    def contract_checks(self, columns: dict, model_constraints: list) -> list[tuple[str, str]]:
        """(name, expression) of every CHECK constraint of an enforced contract."""
        return [(check.name, check.expression) for check in contracts.checks(columns, model_constraints)]

    @available
    def contract_fingerprint(self, columns: dict, model_constraints: list, table_config: dict) -> str:
        """The digest a contracted table carries in its `casebook.contract` property."""
        return contracts.fingerprint(columns, model_constraints, table_config)

    @available
    def contract_violations_sql(self, columns: dict, model_constraints: list, select_sql: str) -> str:
        """A query counting the rows of `select_sql` that break each enforced constraint ('' if none)."""
        return contracts.violations_sql(columns, model_constraints, select_sql) or ""

    @available
    def refuse_contract_violations(
        self, model: dict, columns: dict, model_constraints: list, table: Any
    ) -> None:
        """Fail in one sentence when the counts of `contract_violations_sql` show a broken constraint."""
        counts = [int(value or 0) for value in table.rows[0]] if table is not None and table.rows else []
        message = contracts.violation_message(model, columns, model_constraints, counts) if counts else None
        if message:
            raise DbtRuntimeError(message)

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


def is_temporary(row: Any) -> bool:
    """Whether a row of `show tables` / `show table extended` (namespace, name, isTemporary, ...) is a
    temporary view of the session."""
    return len(row) >= 3 and str(row[2]).strip().lower() == "true"


def _relative(folder: Path) -> str:
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)
