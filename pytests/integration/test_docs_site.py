"""The dbt docs site renders in a real browser: headless Chromium loads the site `make docs` serves.

The lineage graph is drawn on a canvas, so the test looks at the screenshot: graph nodes are the
pixels that differ from the panel's background. The screenshot is kept in test-artifacts/.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image

from pytests.conftest import REPO_ROOT
from pytests.integration.conftest import Warehouse, build_selection

pytestmark = pytest.mark.integration

ARTIFACTS = REPO_ROOT / "test-artifacts"
GRAPH_BACKGROUND = np.array([0, 94, 122])  # dbt docs' lineage panel colour
WINDOW = (1400, 900)


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.fail("No Chromium found: install Debian's browser with `apt-get install chromium`.")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def docs_site(warehouse: Warehouse, first_build) -> Iterator[str]:
    generated = warehouse.dbt("docs", "generate", *build_selection())
    assert generated.success, generated.exception
    handler = partial(_QuietHandler, directory=str(warehouse.target_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def _chromium(*args: str, url: str) -> str:
    command = [
        _browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--window-size={WINDOW[0]},{WINDOW[1]}", "--virtual-time-budget=20000", *args, url,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_a_model_page_shows_its_description_and_columns(docs_site: str) -> None:
    dom = _chromium("--dump-dom", url=f"{docs_site}#!/model/model.casebook.fct_trades")
    assert "One row per valid trade with the top-of-book quote in force" in dom
    assert "quote_event_ts" in dom
    assert "When the matched quote took effect" in dom


def test_the_lineage_graph_draws_the_project(docs_site: str) -> None:
    url = f"{docs_site}#!/model/model.casebook.fct_trades?g_v=1"
    assert "Lineage Graph" in _chromium("--dump-dom", url=url)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "dbt-docs-lineage.png"
    screenshot.unlink(missing_ok=True)
    _chromium(f"--screenshot={screenshot}", url=url)
    pixels = np.asarray(Image.open(screenshot).convert("RGB")).astype(int)
    panel = pixels[80:780, 30:1330]  # inside the graph panel, below its title, above its controls
    is_background = np.abs(panel - GRAPH_BACKGROUND).sum(axis=2) <= 60
    assert is_background.mean() > 0.5, "the lineage panel did not open"
    assert (~is_background).sum() > 5000, "the lineage panel is open but draws no nodes"
