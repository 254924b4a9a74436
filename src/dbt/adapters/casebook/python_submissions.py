"""The `session` submission method: run a compiled Python model in this process, on the engine."""

from __future__ import annotations

import linecache
import re
import traceback
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.events.logging import AdapterLogger
from dbt.flags import get_flags
from dbt_common.exceptions import DbtRuntimeError

from casebook.engine import get_spark
from casebook.engine.faults import engine_fault
from casebook.progress import ModelProgress
from dbt.adapters.casebook.connections import project_root, shown_error
from dbt.adapters.casebook.errors import unselected_upstream_message

logger = AdapterLogger("Casebook")


class SessionPythonJobHelper(PythonJobHelper):
    """Executes the model's compiled code with one global, `spark`, the process's SparkSession."""

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.model_name: str = parsed_model["alias"]
        self.file_path: str = parsed_model.get("original_file_path") or f"<{self.model_name}>"
        self.model_code: str = parsed_model.get("compiled_code") or ""
        self.credentials = credentials

    def submit(self, compiled_code: str) -> None:
        spark = get_spark(self.credentials.engine_settings())
        compiled_code = self._aligned_with_model_file(compiled_code)
        if _empty_run():
            compiled_code = _reading_no_rows(compiled_code)
        # Name the code after the model file so tracebacks point at its lines.
        code = compile(compiled_code, self.file_path, "exec")
        lines = compiled_code.splitlines(keepends=True)
        linecache.cache[self.file_path] = (len(compiled_code), None, lines, self.file_path)
        try:
            # Groups done / total and tasks, every few seconds in dbt's log while the model runs.
            progress = ModelProgress(spark, self.model_name, logger.info)
        except ValueError as error:
            raise DbtRuntimeError(str(error)) from None
        spark.sparkContext.setJobDescription(f"dbt model {self.model_name}")
        try:
            with progress:
                exec(code, {"spark": spark, "__name__": f"dbt_model_{self.model_name}"})
        except Exception as error:
            missing = unselected_upstream_message(str(error), project_root())
            raise DbtRuntimeError(missing or self._failure_message(error)) from None
        finally:
            spark.sparkContext.setJobDescription(None)

    def _aligned_with_model_file(self, compiled_code: str) -> str:
        """Drop the blank lines the materialization puts before the model's source, so that line N
        of the code is line N of the model file."""
        start = compiled_code.find(self.model_code) if self.model_code else -1
        if start > 0 and not compiled_code[:start].strip():
            return compiled_code[start:]
        return compiled_code

    def _failure_message(self, error: BaseException) -> str:
        if engine_fault(str(error), project_root()) is not None:
            # A full disk or a crashed worker: the sentence, not the model's Python and Java traces.
            return f"Python model {self.model_name} ({self.file_path}) failed: {shown_error(str(error))}"
        frames = traceback.extract_tb(error.__traceback__)
        # Drop this runner's own frame: the user's story starts in the model file.
        frames = [frame for frame in frames if frame.filename != __file__]
        trace = "".join(traceback.format_list(frames))
        detail = "".join(traceback.format_exception_only(error)).strip()
        return (
            f"Python model {self.model_name} ({self.file_path}) failed:\n"
            f"Traceback (most recent call last):\n{trace}{detail}"
        )


# dbt-spark's generated materialization code (macro py_write_table): how the model is called.
_LOAD_LINE = "dbt = dbtObj(spark.table)"
_CALL_LINE = "df = model(dbt, spark)"


def _empty_run() -> bool:
    """`dbt build --empty` (or run): refs read no rows and models write none, schemas only."""
    return bool(getattr(get_flags(), "EMPTY", False))


def _reading_no_rows(compiled_code: str) -> str:
    """Under `--empty`: every dbt.ref/dbt.source is read with limit 0 and the model's frame is cut to
    zero rows, so its table is created with its schema and no data (as dbt does for SQL models). A
    model that cannot run on no rows (it trains or logs to MLflow) names its result's schema in a
    module-level EMPTY_SCHEMA (a DDL string or StructType) and is not run at all."""
    load_line = re.compile(rf"^{re.escape(_LOAD_LINE)}$", re.MULTILINE)
    call_line = re.compile(rf"^{re.escape(_CALL_LINE)}$", re.MULTILINE)
    if not load_line.search(compiled_code) or not call_line.search(compiled_code):
        raise DbtRuntimeError(
            "cannot run this Python model under --empty: dbt-spark's generated code changed "
            f"(expected the lines '{_LOAD_LINE}' and '{_CALL_LINE}'); run without --empty"
        )
    # The lines themselves, not their copies in dbt's commented "run this in a notebook" block.
    no_rows_read = "dbt = dbtObj(lambda name: spark.table(name).limit(0))"
    no_rows_written = (
        "df = spark.createDataFrame([], EMPTY_SCHEMA) if 'EMPTY_SCHEMA' in globals() else model(dbt, spark)\n"
        "df = df.head(0) if hasattr(df, 'iloc') else df.limit(0)"
    )
    compiled_code = load_line.sub(lambda _: no_rows_read, compiled_code, count=1)
    return call_line.sub(lambda _: no_rows_written, compiled_code, count=1)
