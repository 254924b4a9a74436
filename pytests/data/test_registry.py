"""Every registered generator and ingester has the shape its protocol and the CLI rely on."""

from __future__ import annotations

import inspect

import pytest

from casebook.data.registry import GENERATORS, INGEST_OPTIONS, INGESTERS, generator, ingester


def _required(function: object) -> list[str]:
    parameters = inspect.signature(function).parameters.values()
    return [p.name for p in parameters if p.default is inspect.Parameter.empty]


@pytest.mark.parametrize("domain", sorted(GENERATORS))
def test_a_generator_takes_raw_scale_and_seed(domain: str) -> None:
    assert _required(generator(domain)) == ["raw_dir", "scale", "seed"]


@pytest.mark.parametrize("format_name", sorted(INGESTERS))
def test_an_ingester_takes_path_and_raw_and_its_options_as_keywords(format_name: str) -> None:
    _, land = ingester(format_name)
    parameters = inspect.signature(land).parameters
    assert _required(land) == ["path", "raw"]
    for option in INGEST_OPTIONS.get(format_name, ()):
        assert parameters[option].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[option].default is None, "an option the CLI does not get must change nothing"
    assert set(INGEST_OPTIONS) <= set(INGESTERS)
