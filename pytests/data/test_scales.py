"""One scale lookup for every generator: the same sentence for an unknown scale, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.data.registry import GENERATORS, generator
from casebook.data.scales import scale_of


def test_scale_of_returns_the_named_scale_and_names_the_valid_ones_otherwise() -> None:
    scales = {"tiny": 1, "small": 2}
    assert scale_of(scales, "small", "pods") == 2
    with pytest.raises(ValueError, match=r"^Unknown pods scale 'huge': expected one of tiny, small$"):
        scale_of(scales, "huge", "pods")


@pytest.mark.parametrize("domain", sorted(GENERATORS))
def test_every_generator_refuses_an_unknown_scale_before_writing(domain: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"scale 'huge': expected one of tiny, small, medium, large$"):
        generator(domain)(tmp_path, "huge", 1)
    assert not any(tmp_path.iterdir()), f"the {domain} generator wrote files for an unknown scale"
