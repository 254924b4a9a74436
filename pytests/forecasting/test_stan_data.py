"""Every Prophet fit hands its data to Stan as a JSON file: Casebook installs ujson so stanio writes it in C,
and hands stanio numpy arrays where Prophet's own backend hands lists.

Without ujson, stanio encodes the file with the standard library's pure-Python encoder, about 60 ms of
a 170 ms fit for five years of daily sales (docs/benchmarks.md); given lists, it walks every value in
Python before encoding. Both speed-ups are only safe if the file holds the same numbers, so the oracles
are the standard library's own encoder and Prophet's stock backend on the same data.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import stanio
import stanio.json
from prophet import Prophet
from prophet.models import CmdStanPyBackend

from casebook.forecasting.prophet_fit import ProphetSettings, make_prophet

SETTINGS = ProphetSettings(interval_width=0.95, uncertainty_samples=0, holiday_country="US")


def _history() -> pd.DataFrame:
    """Five years of noisy daily sales, and a temperature."""
    rng = np.random.default_rng(5)
    days = pd.date_range("2013-01-01", "2017-09-30", freq="D")
    temp = 15 + 10 * np.sin(np.arange(len(days)) * 2 * np.pi / 365.25)  # read by the regressor case only
    return pd.DataFrame({"ds": days, "y": rng.gamma(2.0, 7.3, len(days)), "temp": temp})


def _stan_inputs(model: Prophet) -> tuple[dict[str, object], dict[str, object]]:
    """The (init, data) dicts `model`'s backend gives Stan for the history, with US holidays."""
    inputs = model.preprocess(_history())
    init = asdict(model.calculate_initial_params(inputs.K))
    return model.stan_backend.prepare_data(init, asdict(inputs))


def _stock_prophet() -> Prophet:
    """make_prophet's model, put back on Prophet's own cmdstanpy backend."""
    model = make_prophet(SETTINGS)
    model.stan_backend = CmdStanPyBackend()
    return model


def _stan_data() -> dict[str, object]:
    """The data dict Casebook's Prophet gives Stan."""
    return _stan_inputs(make_prophet(SETTINGS))[1]


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


def _with_weather(model: Prophet) -> Prophet:
    """The stations bake-off's shape: daily seasonality and an extra regressor."""
    model.add_seasonality("daily", period=1, fourier_order=4)
    model.add_regressor("temp")
    return model


@pytest.mark.parametrize("shape", ["forecasting", "with a regressor"])
def test_the_array_backend_writes_the_files_prophets_own_backend_writes(tmp_path: Path, shape: str) -> None:
    ours, stock = make_prophet(SETTINGS), _stock_prophet()
    if shape == "with a regressor":
        ours, stock = _with_weather(ours), _with_weather(stock)
    assert type(stock.stan_backend) is CmdStanPyBackend
    assert type(ours.stan_backend) is not CmdStanPyBackend

    for part, (our_dict, stock_dict) in enumerate(zip(_stan_inputs(ours), _stan_inputs(stock), strict=True)):
        largest = "X" if "X" in our_dict else "delta"
        assert isinstance(our_dict[largest], np.ndarray)  # stanio's fast path is taken
        our_file, stock_file = tmp_path / f"ours-{part}.json", tmp_path / f"stock-{part}.json"
        stanio.write_stan_json(str(our_file), our_dict)
        stanio.write_stan_json(str(stock_file), stock_dict)
        assert our_file.read_bytes() == stock_file.read_bytes()


def test_the_array_backend_fits_the_parameters_prophets_own_backend_fits() -> None:
    ours = make_prophet(SETTINGS).fit(_history(), seed=11)
    stock = _stock_prophet().fit(_history(), seed=11)

    assert ours.params.keys() == stock.params.keys()
    for name, values in stock.params.items():
        np.testing.assert_array_equal(ours.params[name], values, err_msg=name)
