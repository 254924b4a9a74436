"""The README's dashboard pictures: every dashboard of bi/ from a running `make bi`, as small PNGs.

    .venv/bin/python -m pytests.bi.screenshots            # after make build, make serve, make bi

Logs in as the admin (password from data/secrets/superset.admin.password), opens each dashboard in
headless Chromium, waits until every chart drew, and writes docs/dashboards/<slug>.png cropped to the
charts and scaled to --width pixels. A dashboard with a chart that failed or stayed blank stops the run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PIL import Image

from pytests.bi.browser import Chromium, chromium_binary
from pytests.bi.superset import REPO_ROOT, Superset, dashboard_slugs, open_dashboard

WINDOW = (1400, 2400)


def _save(raw: Path, state: list[dict], target: Path, width: int) -> None:
    """The page down to its lowest chart, scaled to `width` and reduced to 256 colours."""
    image = Image.open(raw).convert("RGB")
    bottom = min(image.height, int(max(s["box"][1] + s["box"][3] for s in state)) + 16)
    image = image.crop((0, 0, image.width, bottom))
    image = image.resize((width, round(bottom * width / image.width)), Image.Resampling.LANCZOS)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "dashboards")
    parser.add_argument("--width", type=int, default=1000)
    args = parser.parse_args(argv)
    binary = chromium_binary()
    if not binary:
        print("No Chromium found: install it with `apt-get install chromium`.", file=sys.stderr)
        return 2
    password = (args.data_dir / "secrets" / "superset.admin.password").read_text().strip()
    superset = Superset(args.url, password, args.data_dir)
    superset.log_in()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, Chromium(binary, *WINDOW) as browser:
        for slug in dashboard_slugs():
            state = open_dashboard(browser, superset, slug)
            failed = [s["title"] for s in state if s["error"] or not s["drawn"] or s["loading"]]
            if not state or failed:
                print(f"{slug}: charts that did not draw: {failed or 'all'}", file=sys.stderr)
                return 1
            target = args.out / f"{slug}.png"
            _save(browser.screenshot(Path(scratch) / f"{slug}.png"), state, target, args.width)
            print(f"{slug}: {len(state)} charts -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
