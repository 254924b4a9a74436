"""Every Prophet fit hands its data to Stan as a JSON file: Casebook installs ujson so stanio writes it in C.

Without ujson, stanio encodes the file with the standard library's pure-Python encoder, about 60 ms of
a 170 ms fit for five years of daily sales (docs/benchmarks.md). The speed-up is only safe if the file
holds the same numbers, so the oracle is the standard library's own encoder on the same data.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import stanio
import stanio.json

from casebook.forecasting.prophet_fit import ProphetSettings, make_prophet


def _stan_data() -> dict[str, object]:
    """The data dict Prophet gives Stan for five years of noisy daily sales with US holidays."""
    rng = np.random.default_rng(5)
    days = pd.date_range("2013-01-01", "2017-09-30", freq="D")
    history = pd.DataFrame({"ds": days, "y": rng.gamma(2.0, 7.3, len(days))})
    model = make_prophet(ProphetSettings(interval_width=0.95, uncertainty_samples=0, holiday_country="US"))
    inputs = model.preprocess(history)
    init = asdict(model.calculate_initial_params(inputs.K))
    _, data = model.stan_backend.prepare_data(init, asdict(inputs))
    return data


def test_stanio_writes_with_ujson() -> None:
    assert stanio.json.UJSON_AVAILABLE, "ujson is missing or older than 5.5: run make build"


def test_the_fast_file_holds_the_numbers_the_standard_encoder_writes(tmp_path: Path) -> None:
    data = _stan_data()
    written = tmp_path / "data.json"
    stanio.write_stan_json(str(written), data)

    standard = json.loads(json.dumps(stanio.json.process_dictionary(data)))
    assert json.loads(written.read_text()) == standard
    assert len(standard["y"]) == 1734 and len(standard["X"][0]) == standard["K"]


def test_extreme_floats_survive_the_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    values = rng.standard_normal(20_000) * 10.0 ** rng.integers(-300, 300, 20_000)
    values = np.concatenate([values, [5e-324, 1.7976931348623157e308, 0.1, 1 / 3, -0.0]])
    written = tmp_path / "floats.json"
    stanio.write_stan_json(str(written), {"x": values})

    assert json.loads(written.read_text())["x"] == values.tolist()
