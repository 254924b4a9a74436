"""One path from dbt vars to typed settings: a domain's `<prefix>_*` vars become its settings dataclass.

Defaults live in dbt_project.yml only. A Python model calls `load(ForecastingSettings)`: the casebook
adapter puts the model's vars (the project's, with `--vars` on top) in scope while the model runs,
and this module converts each `<prefix><field>` var to the field's type. Tests build the same
dataclass from dbt_project.yml with `from_project`. A missing var, a value of the wrong type, or a
var with the domain's prefix that no field names is refused with a sentence naming the var.
"""

from __future__ import annotations

import contextvars
import dataclasses
import types
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import yaml

from casebook import paths


class SettingsError(ValueError):
    """A dbt var that does not fit its domain's settings."""


class DomainSettings(Protocol):
    VAR_PREFIX: ClassVar[str]


Settings = TypeVar("Settings", bound=DomainSettings)

_vars_in_scope: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "casebook_dbt_vars", default=None
)


@contextmanager
def vars_in_scope(values: Mapping[str, Any]) -> Iterator[None]:
    """Make a model's dbt vars readable by `load` while it runs (set by the casebook adapter)."""
    token = _vars_in_scope.set(dict(values))
    try:
        yield
    finally:
        _vars_in_scope.reset(token)


def load(cls: type[Settings], values: Mapping[str, Any] | None = None) -> Settings:
    """The settings dataclass `cls` from dbt vars: `values`, else those of the running Python model."""
    if values is None:
        values = _vars_in_scope.get()
        if values is None:
            raise SettingsError(
                f"{cls.__name__} is read from dbt vars inside a Python model run by the casebook adapter; "
                "elsewhere pass the vars (e.g. casebook.settings.from_project)."
            )
    prefix = cls.VAR_PREFIX
    fields = {field.name: field for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(key for key in values if key.startswith(prefix) and key[len(prefix) :] not in fields)
    if unknown:
        raise SettingsError(
            f"dbt var {unknown[0]} is not a setting of {cls.__name__} ({_names(prefix, fields)}): "
            "fix its name, or add the field to the dataclass."
        )
    hints = typing.get_type_hints(cls)
    converted = {}
    for name in fields:
        var = prefix + name
        if var not in values:
            raise SettingsError(f"dbt var {var} is missing: give it a default in dbt_project.yml's vars.")
        converted[name] = convert(values[var], hints[name], var)
    return cls(**converted)


def from_project(cls: type[Settings], root: Path | None = None, **overrides: Any) -> Settings:
    """The settings dbt_project.yml's defaults give (with `overrides`, as `--vars` would)."""
    project_file = (root or paths.project_root()) / paths.PROJECT_FILE
    project_vars = yaml.safe_load(project_file.read_text()).get("vars") or {}
    return load(cls, {**project_vars, **{cls.VAR_PREFIX + key: value for key, value in overrides.items()}})


def convert(value: Any, kind: Any, var: str) -> Any:
    """`value` as type `kind` (int, float, str, bool, date, X | None, list[X], tuple[X, ...])."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        return convert(value, next(arg for arg in args if arg is not type(None)), var)
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            raise SettingsError(f"dbt var {var} must be a list, not {value!r}.")
        items = [convert(item, args[0], f"{var}[{index}]") for index, item in enumerate(value)]
        return tuple(items) if origin is tuple else items
    return _scalar(value, kind, var)


def _scalar(value: Any, kind: Any, var: str) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
            return value.strip().lower() == "true"
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
    elif kind is str:
        if isinstance(value, str):
            return value
    elif kind is date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
    else:
        raise SettingsError(f"dbt var {var}: settings of type {kind!r} are not supported.")
    expected = getattr(kind, "__name__", str(kind))
    raise SettingsError(f"dbt var {var} must be {_article(expected)} {expected}, not {value!r}.")


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _names(prefix: str, fields: Mapping[str, object]) -> str:
    return ", ".join(prefix + name for name in fields)
