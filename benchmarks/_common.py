"""Helpers shared by the benchmark scripts: the machine's description, its load and result files.

The scripts run as `python benchmarks/<name>.py`, so this folder is on sys.path and they import
this module as `_common`.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
ENGINE_PACKAGES = ("pyspark", "delta-spark", "dbt-core", "duckdb", "pandas", "pyarrow")


@dataclass(frozen=True)
class BenchDataDir:
    """A benchmark's own data folder: raw files (landed like the CLI's, `.landed` marker inside), dbt's
    target and logs."""

    data_dir: Path

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def target_dir(self) -> Path:
        return self.data_dir / "target"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"


def ensure_raw(data: BenchDataDir, domain: str, scale: str, seed: int) -> dict[str, int]:
    """Generate the domain's raw data for (scale, seed) unless the data folder already holds a complete
    landing of exactly that: the CLI's `casebook data generate --if-changed` (atomic, verified, `.landed`)."""
    os.environ.setdefault("CASEBOOK_PROJECT_DIR", str(REPO_ROOT))  # landing reads the dbt sources
    from casebook.data.landing import land_generated

    start = time.perf_counter()
    counts = land_generated(data.raw_dir, domain, scale, seed, if_changed=True)
    seconds = time.perf_counter() - start
    print(f"  {domain} raw data in {data.raw_dir}: {counts} ({seconds:.1f} s)", flush=True)
    return counts


def machine_info(packages: tuple[str, ...] = ENGINE_PACKAGES) -> dict[str, Any]:
    """Cores, CPU model, RAM, OS, Python, Java and the versions of `packages`."""
    cpuinfo = _read("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": models[0] if models else platform.processor(),
        "ram_gib": round(meminfo_kib("MemTotal") / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": java_version(),
        "versions": {name: _package_version(name) for name in packages},
    }


def meminfo_kib(field: str) -> int:
    """One field of /proc/meminfo (MemTotal, MemAvailable, ...) in KiB; 0 when unknown."""
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def worktree(ref: str, path: Path) -> Path:
    """A detached git worktree of `ref` at `path` (made once, moved to `ref` on later runs): the
    checkout a side-by-side benchmark compares this one with."""
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), ref], cwd=REPO_ROOT, check=True)
    else:
        subprocess.run(["git", "checkout", "--detach", "--quiet", ref], cwd=path, check=True)
    return path


def project_env(project: Path, data_dir: Path) -> dict[str, str]:
    """The environment for Casebook commands of checkout `project` on data folder `data_dir`, run with
    this venv: that checkout's src first on PYTHONPATH."""
    env = dict(os.environ, CASEBOOK_DATA_DIR=str(data_dir), CASEBOOK_PROJECT_DIR=str(project))
    env["PYTHONPATH"] = os.pathsep.join([str(project / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def cpu_seconds() -> float:
    """CPU seconds (user + system, all cores) the whole machine has spent since boot, from /proc/stat:
    on an otherwise idle machine, the difference across a run is the run's CPU time."""
    fields = _read("/proc/stat").splitlines()[0].split()[1:]
    user, nice, system = (int(value) for value in fields[:3])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages, rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def java_version() -> str:
    """First line of `java -version`, or "unknown"."""
    try:
        done = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    lines = done.stderr.strip().splitlines()
    return lines[0] if lines else "unknown"


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write `payload` as indented JSON, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n")


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _read(path: str) -> str:
    file = Path(path)
    return file.read_text() if file.exists() else ""
