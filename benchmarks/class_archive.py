"""Spark starts with the driver's class archive beside starts without it, in ABBA order.

    .venv/bin/python benchmarks/class_archive.py [--rounds 4] [--seed 42]

Each round runs, once with the archive (made first if missing, as `make setup` does) and once with
CASEBOOK_CLASS_ARCHIVE=off, in fresh processes on their own empty data folders:

- `session`: a Python process that starts the engine's SparkSession and runs one query (the fixed cost
  of every `casebook sql`, every dbt process and every test that starts Spark);
- `dbt run`: `dbt run --select stg_ticks__halts` on the tiny ticks files (Spark start, the on-run-start
  hook that registers the sources, one view), the shortest useful dbt process.

Wall time and the machine's CPU seconds of each (/proc/stat: on an idle machine, the process's).
Writes benchmarks/results/class_archive.json and prints a markdown table of medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import BenchDataDir, cpu_seconds, ensure_raw, load_average, machine_info, write_json
from casebook.engine import class_archive

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "class_archive.json"
WORK = REPO / "benchmarks" / ".data" / "class_archive"
SESSION_CODE = "from casebook.engine import get_spark; get_spark().sql('select 1').collect()"
VARIANTS = {"archive": "on", "no archive": "off"}


def _timed(command: list[str], data_dir: Path, archive: str) -> dict[str, float]:
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(data_dir), class_archive.ARCHIVE_ENV: archive}
    env.pop("CASEBOOK_METASTORE_URL", None)
    cpu, started = cpu_seconds(), time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    wall, used = time.perf_counter() - started, cpu_seconds() - cpu
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return {"wall_s": round(wall, 2), "machine_cpu_s": round(used, 2)}


def _fresh(name: str, raw: Path | None = None) -> Path:
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if raw is not None:
        shutil.copytree(raw, folder / "raw")
    return folder


def run_round(number: int, order: list[str], raw: Path) -> list[dict[str, Any]]:
    runs = []
    dbt = [str(Path(sys.executable).parent / "dbt"), "run", "--select", "stg_ticks__halts"]
    for variant in order:
        for step, command, with_raw in (
            ("session", [sys.executable, "-c", SESSION_CODE], False),
            ("dbt run", [*dbt, "--profiles-dir", "profiles"], True),
        ):
            data_dir = _fresh(
                f"{step.replace(' ', '-')}-{variant.replace(' ', '-')}", raw if with_raw else None
            )
            command = [*command, "--target-path", str(data_dir / "target")] if step == "dbt run" else command
            runs.append(
                {
                    "round": number,
                    "variant": variant,
                    "step": step,
                    **_timed(command, data_dir, VARIANTS[variant]),
                }
            )
            print(runs[-1], flush=True)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    archive = class_archive.create()
    if archive is None:
        raise SystemExit(f"the class archive is turned off ({class_archive.ARCHIVE_ENV}): nothing to compare")
    data = BenchDataDir(WORK / "raw-data")
    ensure_raw(data, "ticks", "tiny", args.seed)
    load_before = load_average()
    runs = []
    for number in range(1, args.rounds + 1):
        order = list(VARIANTS) if number % 2 else list(reversed(VARIANTS))
        runs.extend(run_round(number, order, data.raw_dir))
    payload = {
        "seed": args.seed,
        "archive": {"name": archive.name, "mib": round(archive.stat().st_size / 2**20)},
        "machine": machine_info(),
        "load_before": load_before,
        "load_after": load_average(),
        "runs": runs,
    }
    write_json(RESULTS, payload)
    print("| step | with archive: wall / CPU s | without: wall / CPU s | wall ratio |")
    print("|---|---|---|---|")
    for step in ("session", "dbt run"):
        medians = {
            variant: [
                statistics.median(r[key] for r in runs if r["variant"] == variant and r["step"] == step)
                for key in ("wall_s", "machine_cpu_s")
            ]
            for variant in VARIANTS
        }
        with_it, without = medians["archive"], medians["no archive"]
        print(
            f"| {step} | {with_it[0]:.1f} / {with_it[1]:.1f} | {without[0]:.1f} / {without[1]:.1f} "
            f"| {with_it[0] / without[0]:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
