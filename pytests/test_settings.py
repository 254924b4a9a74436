"""One path from dbt vars to settings: typed conversion, nulls, missing and unknown vars refused."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import pytest
import yaml

import casebook
from casebook.settings import SettingsError, convert, from_project, load, vars_in_scope
from pytests.conftest import REPO_ROOT


@dataclass(frozen=True)
class ToySettings:
    VAR_PREFIX: ClassVar[str] = "toy_"

    rounds: int
    share: float
    label: str
    enabled: bool
    as_of: date | None
    windows: tuple[int, ...]


VARS = {
    "toy_rounds": 3,
    "toy_share": 1,
    "toy_label": "x",
    "toy_enabled": False,
    "toy_as_of": "2024-02-29",
    "toy_windows": [7, 30],
    "other_domain_var": "ignored",
}


def domain_settings_classes() -> list[type]:
    """Every `<domain>.settings` module's dataclass with a VAR_PREFIX."""
    found = []
    for module in pkgutil.iter_modules(casebook.__path__):
        try:
            settings = importlib.import_module(f"casebook.{module.name}.settings")
        except ModuleNotFoundError:
            continue
        found += [v for v in vars(settings).values() if isinstance(v, type) and hasattr(v, "VAR_PREFIX")]
    return found


def test_vars_become_typed_fields() -> None:
    settings = load(ToySettings, VARS)
    assert settings == ToySettings(3, 1.0, "x", False, date(2024, 2, 29), (7, 30))
    assert isinstance(settings.share, float)


def test_null_is_none_only_where_the_field_allows_it() -> None:
    assert load(ToySettings, {**VARS, "toy_as_of": None}).as_of is None
    with pytest.raises(SettingsError, match=r"dbt var toy_rounds must be an int, not None\."):
        load(ToySettings, {**VARS, "toy_rounds": None})


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("toy_rounds", 2.5, "dbt var toy_rounds must be an int, not 2.5."),
        ("toy_rounds", True, "dbt var toy_rounds must be an int, not True."),
        ("toy_share", "half", "dbt var toy_share must be a float, not 'half'."),
        ("toy_enabled", "yes", "dbt var toy_enabled must be a bool, not 'yes'."),
        ("toy_as_of", "2024-02-30", "dbt var toy_as_of must be a date, not '2024-02-30'."),
        ("toy_windows", 7, "dbt var toy_windows must be a list, not 7."),
        ("toy_windows", [7, "x"], "dbt var toy_windows[1] must be an int, not 'x'."),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_the_var(var: str, value: object, message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load(ToySettings, {**VARS, var: value})
    assert str(refused.value) == message


def test_text_from_the_command_line_converts() -> None:
    assert convert("12", int, "v") == 12
    assert convert("true", bool, "v") is True
    assert convert("0.5", float, "v") == 0.5


def test_an_unknown_var_with_the_domain_prefix_is_refused() -> None:
    with pytest.raises(
        SettingsError, match=r"dbt var toy_roundz is not a setting of ToySettings \(toy_rounds, "
    ):
        load(ToySettings, {**VARS, "toy_roundz": 4})


def test_a_missing_var_names_dbt_project() -> None:
    values = {key: value for key, value in VARS.items() if key != "toy_label"}
    with pytest.raises(
        SettingsError, match=r"dbt var toy_label is missing: give it a default in dbt_project"
    ):
        load(ToySettings, values)


def test_a_model_reads_the_vars_the_adapter_put_in_scope() -> None:
    with vars_in_scope(VARS):
        assert load(ToySettings).rounds == 3
    with pytest.raises(SettingsError, match="inside a Python model run by the casebook adapter"):
        load(ToySettings)


def test_overrides_replace_project_defaults_like_dbt_vars() -> None:
    settings = domain_settings_classes()
    forecasting = next(cls for cls in settings if cls.__name__ == "ForecastingSettings")
    assert from_project(forecasting, REPO_ROOT, cv_cutoffs=0).cv_cutoffs == 0


# Vars of the whole project, read by macros and YAML only (schemas, freshness, snapshots), not by a domain.
PROJECT_WIDE_VARS = {
    "production_targets",
    "source_freshness_warn_after_hours",
    "source_freshness_error_after_hours",
    "snapshot_as_of",
}


def test_every_var_of_dbt_project_is_a_field_of_its_domains_settings() -> None:
    project_vars = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
    classes = domain_settings_classes()
    assert len(classes) == 8  # ticks, dtw, forecasting, stations, fraud, pods, members, inventory
    covered = set()
    for cls in classes:
        settings = from_project(cls, REPO_ROOT)  # refuses any unknown, missing or mistyped var
        covered |= {cls.VAR_PREFIX + name for name in vars(settings)}
    assert set(project_vars) >= PROJECT_WIDE_VARS
    assert covered == set(project_vars) - PROJECT_WIDE_VARS
