"""Superset over the Thrift server: every chart's data is the mart's, every dashboard draws in a browser.

The shared tiny warehouse (pytests/integration/conftest.py) is built by this process on its embedded
Derby metastore, which a Thrift server cannot share. So the marts the dashboards read are copied into a
second data folder whose metastore is a PostgreSQL database (the README's shared-metastore setup), served
there by `casebook serve`, and shown by `casebook bi start`. Each chart's data, asked of Superset's API,
must equal the rows Spark computes for the chart's own SQL on the original marts; each dashboard is opened
in headless Chromium, logged in, and every chart must draw (no error panel, pixels in its box). While a
dashboard refreshes, dbt rebuilds a mart it reads (from the copied fct_trades): each refresh sees old or
new rows.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from pyhive import hive

from casebook.engine import postgres
from pytests.bi.browser import Chromium, chromium_binary
from pytests.bi.superset import Superset, dashboard_slugs, open_dashboard
from pytests.conftest import REPO_ROOT, VENV_BIN, dbt_command
from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration

ARTIFACTS = REPO_ROOT / "test-artifacts"
WINDOW = (1400, 2000)
# Rebuilding fct_vwap_1m with an earlier session close gives a different, equally valid mart. It is
# rebuilt from the copied fct_trades (its regular-session view, then the mart): the as-of join upstream
# is the serving tests' subject, and rebuilding it here would only make the refresh test slower.
EARLY_CLOSE = '{"ticks_market_close": "12:00:00"}'
REBUILT_FROM = "fct_trades"
REBUILT = "int_ticks__market_hours_trades fct_vwap_1m"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dashboard_tables() -> set[str]:
    return {
        yaml.safe_load(path.read_text())["table_name"]
        for path in (REPO_ROOT / "bi" / "datasets").rglob("*.yaml")
    }


def _casebook(*args: str, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "casebook"), *args], cwd=REPO_ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


@pytest.fixture(scope="module")
def postgres_metastore() -> Iterator[tuple[postgres.PostgresServer, str]]:
    password = secrets.token_urlsafe(24)
    # Not under pytest's tmp_path: when the tests run as root, the `postgres` user must reach it.
    parent = Path(tempfile.mkdtemp(prefix="casebook-bi-pg-"))
    parent.chmod(0o755)
    server = postgres.start(parent / "cluster", password, _free_port())
    yield server, password
    postgres.stop(server.folder)
    shutil.rmtree(parent, ignore_errors=True)


def _narrowed() -> bool:
    """A build narrowed while developing ($CASEBOOK_TEST_SELECT, _DOMAINS) may lack dashboards' marts."""
    return bool(os.environ.get("CASEBOOK_TEST_SELECT") or os.environ.get("CASEBOOK_TEST_DOMAINS"))


def _copy_marts(source: Path, target: Path) -> list[str]:
    """The dashboards' marts and fct_trades (which the rebuilt fct_vwap_1m reads) from the built warehouse."""
    tables = []
    for table in sorted(_dashboard_tables() | {REBUILT_FROM}):
        origin = source / "warehouse" / "marts.db" / table
        if not (origin / "_delta_log").is_dir():
            assert _narrowed(), f"the tiny warehouse has no marts.{table}"
            continue
        shutil.copytree(origin, target / "warehouse" / "marts.db" / table)
        tables.append(table)
    return tables


def _register(port: int, data_dir: Path, tables: list[str]) -> None:
    password = (data_dir / "secrets" / "thrift.password").read_text().strip()
    connection = hive.connect(
        host="127.0.0.1", port=port, username="casebook", password=password, auth="CUSTOM"
    )
    try:
        cursor = connection.cursor()
        cursor.execute("create database if not exists marts")
        for table in tables:
            location = (data_dir / "warehouse" / "marts.db" / table).as_uri()
            cursor.execute(f"create table marts.{table} using delta location '{location}'")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def superset(
    tmp_path_factory: pytest.TempPathFactory, warehouse: Warehouse, first_build, postgres_metastore
) -> Iterator[Superset]:
    if not (REPO_ROOT / ".venv-bi" / "bin" / "superset").is_file():
        pytest.fail("Superset's virtualenv .venv-bi is missing: run `make bi-setup` (make test does).")
    server, metastore_password = postgres_metastore
    data_dir = tmp_path_factory.mktemp("bi-warehouse")
    tables = _copy_marts(warehouse.data_dir, data_dir)
    env = {
        "CASEBOOK_DATA_DIR": str(data_dir),
        "CASEBOOK_METASTORE_URL": server.jdbc_url,
        "CASEBOOK_METASTORE_PASSWORD": metastore_password,
        "CASEBOOK_BI_ADMIN_PASSWORD": "",
    }
    thrift_port, bi_port = _free_port(), _free_port()
    started = _casebook("serve", "--port", str(thrift_port), env=env)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        _register(thrift_port, data_dir, tables)
        shown = _casebook("bi", "start", "--port", str(bi_port), env=env)
        assert shown.returncode == 0, shown.stdout + shown.stderr
        password = (data_dir / "secrets" / "superset.admin.password").read_text().strip()
        client = Superset(f"http://127.0.0.1:{bi_port}", password, data_dir, env, tables)
        client.log_in()
        yield client
    finally:
        _casebook("bi", "stop", env=env, timeout=120)
        _casebook("stop", env=env, timeout=120)


def _charts(superset: Superset) -> list[dict]:
    return superset.api("/api/v1/chart/?q=(page_size:100)")["result"]


def _dashboards(superset: Superset) -> list[dict]:
    return superset.api("/api/v1/dashboard/?q=(page_size:100)")["result"]


DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}:\d{2}(\.\d+)?)?")


def _value(value: object) -> object:
    """One cell, comparable across Superset's JSON (epoch ms or text for times) and Spark's rows.

    Numbers keep 15 significant digits: Superset sends times as float milliseconds (with microseconds)."""
    if isinstance(value, str) and DATE_TEXT.fullmatch(value):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = (value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value).timestamp() * 1000
    elif isinstance(value, dt.date):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp() * 1000
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if math.isnan(value) else float(f"{value:.15g}")
    return value


def _rows(records: list[dict]) -> list[tuple]:
    """Rows by column name (Superset's JSON keeps one column of a name, as a dict does), sorted."""
    rows = [tuple((name, _value(record[name])) for name in sorted(record)) for record in records]
    return sorted(rows, key=repr)


def test_the_secrets_are_private_and_superset_listens_on_loopback_only(superset: Superset) -> None:
    secrets_dir = superset.data_dir / "secrets"
    for name in ("superset.secret_key", "superset.admin.password"):
        assert (secrets_dir / name).stat().st_mode & 0o777 == 0o600, name
    assert (superset.data_dir / "superset").stat().st_mode & 0o777 == 0o700
    assert superset.url.startswith("http://127.0.0.1:")
    again = _casebook("bi", "start", "--port", str(_free_port()), env=superset.env, timeout=120)
    assert again.returncode == 2 and "already runs" in again.stderr and "Traceback" not in again.stderr


def test_one_dashboard_per_exposure_is_imported(superset: Superset) -> None:
    exposures = yaml.safe_load((REPO_ROOT / "models/marts/_marts__exposures.yml").read_text())["exposures"]
    slugs = {d["slug"] for d in _dashboards(superset)}
    assert slugs == {e["name"].replace("_", "-") for e in exposures}


def test_every_chart_returns_the_rows_spark_computes_from_the_mart(superset: Superset, spark) -> None:
    charts = _charts(superset)
    assert len(charts) == len(list((REPO_ROOT / "bi" / "charts").glob("*.yaml")))
    checked = 0
    for chart in charts:
        detail = superset.api(f"/api/v1/chart/{chart['id']}")["result"]
        if _narrowed() and not _reads_served_marts(superset, detail):
            continue
        checked += 1
        (served,) = superset.api(f"/api/v1/chart/{chart['id']}/data/")["result"]
        (query,) = superset.api(f"/api/v1/chart/{chart['id']}/data/?type=query")["result"]
        assert served["rowcount"] > 0, f"{chart['slice_name']}: no rows"
        direct = spark.sql(query["query"]).collect()
        assert _rows(served["data"]) == _rows([row.asDict() for row in direct]), chart["slice_name"]
    assert checked > 0


def _reads_served_marts(superset: Superset, chart: dict) -> bool:
    context = json.loads(chart["query_context"])
    dataset = superset.api(f"/api/v1/dataset/{context['datasource']['id']}")["result"]
    return dataset["table_name"] in superset.tables


def _painted_share(image: np.ndarray, box: list[float]) -> float:
    """Share of a chart's box (below its title) that is not the page's white background."""
    left, top, width, height = (int(v) for v in box)
    area = image[top + 40 : top + height - 10, left + 10 : left + width - 10]
    return float((np.abs(area - 255).sum(axis=2) > 30).mean()) if area.size else 0.0


@pytest.mark.parametrize("slug", dashboard_slugs())
def test_every_chart_of_the_dashboard_draws_in_a_browser(superset: Superset, slug: str) -> None:
    dashboard = superset.api(f"/api/v1/dashboard/{slug}/datasets")["result"]
    if _narrowed() and not {d["table_name"] for d in dashboard} <= set(superset.tables):
        pytest.skip(f"the narrowed build lacks marts of {slug}")
    binary = chromium_binary()
    assert binary, "No Chromium found: install Debian's browser with `apt-get install chromium`."
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / f"superset-{slug}.png"
    with Chromium(binary, *WINDOW) as browser:
        state = open_dashboard(browser, superset, slug)
        browser.screenshot(screenshot)
    assert state, f"{slug}: the dashboard shows no chart (not logged in?)"
    errors = {s["title"]: s["error"] for s in state if s["error"]}
    assert not errors, errors
    assert all(s["drawn"] and not s["loading"] for s in state), [s["title"] for s in state if not s["drawn"]]
    image = np.asarray(Image.open(screenshot).convert("RGB")).astype(int)
    blank = [s["title"] for s in state if _painted_share(image, s["box"]) < 0.01]
    assert not blank, f"{slug}: charts with an empty box: {blank}"


def _vwap_snapshot(superset: Superset, chart_id: int) -> tuple[int, float] | str:
    status, text = superset.call(f"/api/v1/chart/{chart_id}/data/?force=true")
    if status != 200:
        return f"{status}: {text[:300]}"
    (result,) = json.loads(text)["result"]
    if result.get("error"):
        return str(result["error"])[:300]
    return result["rowcount"], round(sum(row["VWAP"] for row in result["data"]), 6)


def test_a_dashboard_refreshing_while_dbt_rebuilds_its_mart_sees_old_or_new_rows(superset: Superset) -> None:
    (chart,) = [c for c in _charts(superset) if c["slice_name"] == "VWAP vs last price, 1-minute bars"]
    before = _vwap_snapshot(superset, chart["id"])
    command = dbt_command(
        "run", "--target", "shared", "--select", REBUILT, "--vars", EARLY_CLOSE,
        target_path=superset.data_dir / "target-rebuild",
    )  # fmt: skip
    env = {**os.environ, **superset.env}
    writer = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    seen = []
    while writer.poll() is None:
        seen.append(_vwap_snapshot(superset, chart["id"]))
    output = writer.stdout.read().decode() if writer.stdout else ""
    assert writer.returncode == 0, output[-4000:]
    after = _vwap_snapshot(superset, chart["id"])
    assert isinstance(before, tuple) and isinstance(after, tuple) and after != before, (before, after)
    assert len(seen) >= 3, seen
    assert set(seen) <= {before, after}, set(seen) - {before, after}
