"""bi/ holds one Superset dashboard per exposure, reading marts only, and each exposure links to its own.

Plain file checks (no Spark, no Superset): the bundle's YAML against models/marts/_marts__exposures.yml.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from pytests.conftest import REPO_ROOT, VENV_BIN

BI = REPO_ROOT / "bi"
EXPOSURES = REPO_ROOT / "models" / "marts" / "_marts__exposures.yml"
DASHBOARD_URL = "http://127.0.0.1:8088/superset/dashboard/{slug}/"


def _load(folder: str) -> list[dict]:
    return [yaml.safe_load(path.read_text()) for path in sorted((BI / folder).rglob("*.yaml"))]


def _exposures() -> list[dict]:
    return yaml.safe_load(EXPOSURES.read_text())["exposures"]


def _chart_tables(dashboard: dict) -> set[str]:
    datasets = {d["uuid"]: d["table_name"] for d in _load("datasets")}
    charts = {c["uuid"]: c for c in _load("charts")}
    uuids = [item["meta"]["uuid"] for item in dashboard["position"].values()
             if isinstance(item, dict) and item.get("type") == "CHART"]  # fmt: skip
    return {datasets[charts[uuid]["dataset_uuid"]] for uuid in uuids}


def test_every_exposure_has_its_dashboard_and_links_to_it() -> None:
    dashboards = {d["slug"]: d for d in _load("dashboards")}
    exposures = _exposures()
    assert {e["name"] for e in exposures} >= {"dtw_product_matching", "pod_trips"}
    for exposure in exposures:
        slug = exposure["name"].replace("_", "-")
        assert slug in dashboards, f"exposure {exposure['name']} has no dashboard under bi/dashboards/"
        assert exposure["url"] == DASHBOARD_URL.format(slug=slug)
        assert dashboards[slug]["dashboard_title"] == exposure["label"]
    assert len(dashboards) == len(exposures), "a dashboard under bi/ has no exposure"


def test_each_dashboard_reads_only_the_marts_its_exposure_depends_on() -> None:
    dashboards = {d["slug"]: d for d in _load("dashboards")}
    for exposure in _exposures():
        depends_on = {ref.split("'")[1] for ref in exposure["depends_on"]}
        tables = _chart_tables(dashboards[exposure["name"].replace("_", "-")])
        assert tables and tables <= depends_on, (exposure["name"], tables - depends_on)
    assert {d["schema"] for d in _load("datasets")} == {"marts"}


def test_every_chart_carries_a_query_context_for_the_chart_data_api() -> None:
    for chart in _load("charts"):
        context = json.loads(chart["query_context"])
        assert context["queries"] and context["form_data"]["viz_type"] == chart["viz_type"], chart[
            "slice_name"
        ]


def test_the_bundle_keeps_no_password() -> None:
    (database,) = _load("databases")
    assert ":XXXXXXXXXX@" in database["sqlalchemy_uri"]


def _bi(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "casebook"), "bi", *args], cwd=REPO_ROOT,
        env={**os.environ, "CASEBOOK_DATA_DIR": str(data_dir)}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_bi_start_without_a_thrift_server_is_one_sentence(tmp_path: Path) -> None:
    result = _bi("start", "--port", "1", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "No Thrift server of this project runs" in result.stderr and "casebook serve" in result.stderr


def test_bi_stop_without_superset_says_so(tmp_path: Path) -> None:
    result = _bi("stop", data_dir=tmp_path)
    assert result.returncode == 0 and "no Superset of this project" in result.stdout
