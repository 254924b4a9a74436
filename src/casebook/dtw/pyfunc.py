"""An MLflow pyfunc model that scores new products: their DTW distance to the pattern at one stretch factor.

The model is logged "from code" (casebook/dtw/pyfunc_entry.py) with the pattern and the stretch factor in
its model_config, so both are readable in the run's MLmodel file. Loading it needs Casebook installed.

    model = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
    model.predict(pd.DataFrame({"product_code": ["NEW1"], **{f"W{w}": [units[w]] for w in range(52)}}))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.pyfunc import PythonModel, PythonModelContext
from mlflow.types.schema import AnyType, ColSpec, Schema

from casebook.dtw.distance import band_radius, dtw_distance, quarantine_reason

MODEL_NAME = "model"
ENTRY_FILE = Path(__file__).with_name("pyfunc_entry.py")
PREDICTION_COLUMNS = ["product_code", "stretch_factor", "window_weeks", "dtw_distance", "quarantine_reason"]
_WEEK_COLUMN = re.compile(r"^[Ww](\d+)$")


def week_columns(products: pd.DataFrame, weeks: int) -> list[str]:
    """The frame's week columns W0..W{weeks-1} (either case), in week order; missing ones raise."""
    by_week = {int(match[1]): name for name in products.columns if (match := _WEEK_COLUMN.match(str(name)))}
    missing = [f"W{week}" for week in range(weeks) if week not in by_week]
    if missing:
        raise ValueError(f"the input lacks week columns {missing[:5]}{'...' if len(missing) > 5 else ''}")
    return [by_week[week] for week in range(weeks)]


def predict_distances(
    products: pd.DataFrame, pattern: Sequence[float], stretch_factor: float
) -> pd.DataFrame:
    """One row per input product: its DTW distance to `pattern` at `stretch_factor`.

    Input: columns W0..W{n-1} with weekly units (n = len(pattern)) and optionally product_code (the
    logged model's signature passes on only these columns). A product
    whose weeks fail the staging checks gets a null distance and its quarantine_reason instead.
    """
    pattern_units = np.asarray(pattern, dtype=np.float64)
    radius = band_radius(stretch_factor, len(pattern_units))
    units = products[week_columns(products, len(pattern_units))].apply(pd.to_numeric, errors="coerce")
    codes = _product_codes(products)
    rows = []
    for code, weekly_units in zip(codes, units.to_numpy(dtype=np.float64), strict=True):
        reason = quarantine_reason(weekly_units, len(pattern_units))
        distance = np.nan if reason else dtw_distance(weekly_units, pattern_units, radius)
        rows.append((code, float(stretch_factor), radius, distance, reason))
    return pd.DataFrame(rows, columns=PREDICTION_COLUMNS)


def _product_codes(products: pd.DataFrame) -> list[str | None]:
    for name in products.columns:
        if str(name).lower() == "product_code":
            return [None if pd.isna(code) else str(code) for code in products[name]]
    return [None] * len(products)


class DtwDistanceModel(PythonModel):
    """Pattern + stretch factor (from model_config) -> DTW distance of each product in the input frame."""

    pattern: list[float]
    stretch_factor: float

    def load_context(self, context: PythonModelContext) -> None:
        self.configure(context.model_config)

    def configure(self, config: dict[str, Any]) -> None:
        """Take the pattern and stretch factor from a model_config dictionary."""
        self.pattern = [float(value) for value in config["pattern"]]
        self.stretch_factor = float(config["stretch_factor"])

    def predict(
        self, context: PythonModelContext, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        return predict_distances(model_input, self.pattern, self.stretch_factor)


def model_config(pattern: Sequence[float], stretch_factor: float) -> dict[str, Any]:
    """What the logged model needs to know: the weekly pattern and the stretch factor."""
    return {"pattern": [float(value) for value in pattern], "stretch_factor": float(stretch_factor)}


def pip_requirements() -> list[str]:
    """The packages (at their installed versions) a loaded model imports, besides Casebook itself."""
    return [f"{name}=={version(name)}" for name in ("mlflow-skinny", "dtaidistance", "numpy", "pandas")]


def signature(weeks: int) -> ModelSignature:
    """Inputs: optional product_code and W0..W{weeks-1} of any numeric type (predict checks and converts
    them; MLflow's own enforcement would refuse integer counts for a double column). Outputs: see
    predict_distances."""
    inputs = [ColSpec(AnyType(), "product_code", required=False)]
    inputs += [ColSpec(AnyType(), f"W{week}") for week in range(weeks)]
    outputs = [
        ColSpec("string", "product_code", required=False),
        ColSpec("double", "stretch_factor"),
        ColSpec("long", "window_weeks"),
        ColSpec("double", "dtw_distance", required=False),
        ColSpec("string", "quarantine_reason", required=False),
    ]
    return ModelSignature(inputs=Schema(inputs), outputs=Schema(outputs))


def input_example(pattern: Sequence[float]) -> pd.DataFrame:
    """The pattern itself as a product (its distance is 0): shows callers the input layout."""
    weeks = {f"W{week}": [float(units)] for week, units in enumerate(pattern)}
    return pd.DataFrame({"product_code": ["capacity_pattern"], **weeks})


def log_dtw_model(pattern: Sequence[float], stretch_factor: float) -> Any:
    """Log the model into the active MLflow run under MODEL_NAME; returns MLflow's ModelInfo."""
    import mlflow

    return mlflow.pyfunc.log_model(
        name=MODEL_NAME,
        python_model=str(ENTRY_FILE),
        model_config=model_config(pattern, stretch_factor),
        signature=signature(len(pattern)),
        input_example=input_example(pattern),
        pip_requirements=pip_requirements(),
    )
