"""A logged-in client of a running Superset (its REST API and a browser session), and what a dashboard
looks like once it has drawn. Used by the Superset test and by `python -m pytests.bi.screenshots`."""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from pytests.bi.browser import Chromium

REPO_ROOT = Path(__file__).resolve().parents[2]

# Each chart's title, whether it drew (a canvas or a table), is still loading or shows an error, and its box.
RENDER_STATE = """(() => [...document.querySelectorAll('.dashboard-component-chart-holder')].map(h => {
  const box = h.getBoundingClientRect();
  return {
    title: (h.querySelector('.editable-title') || {}).textContent || '',
    drawn: h.querySelectorAll('canvas, table').length,
    loading: h.querySelectorAll('.loading, [data-test="loading-indicator"]').length,
    error: [...h.querySelectorAll('.ant-alert-error, .alert-danger')].map(e => e.textContent).join(' | '),
    box: [box.left + window.scrollX, box.top + window.scrollY, box.width, box.height],
  };
}))()"""


@dataclass
class Superset:
    url: str
    password: str
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    token: str = ""

    def call(self, path: str, body: dict | None = None, form: bool = False) -> tuple[int, str]:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = None
        if body is not None and form:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with opener.open(request, timeout=600) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def api(self, path: str) -> dict:
        status, text = self.call(path)
        assert status == 200, f"{path}: {status} {text[:2000]}"
        return json.loads(text)

    def log_in(self) -> None:
        """A bearer token for the API, and the browser's session cookie from the login form."""
        login = {"username": "admin", "password": self.password, "provider": "db", "refresh": False}
        status, text = self.call("/api/v1/security/login", login)
        assert status == 200, text
        self.token = json.loads(text)["access_token"]
        _, page = self.call("/login/")
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert csrf, "no CSRF token on Superset's login page"
        form = {"username": "admin", "password": self.password, "csrf_token": csrf.group(1)}
        status, _ = self.call("/login/", form, form=True)
        assert status == 200 and self.session_cookie

    @property
    def session_cookie(self) -> str:
        return next((cookie.value for cookie in self.jar if cookie.name == "session"), "")


def dashboard_slugs() -> list[str]:
    """The slug of every dashboard in bi/dashboards (file name with dashes)."""
    return sorted(path.stem.replace("_", "-") for path in (REPO_ROOT / "bi" / "dashboards").glob("*.yaml"))


def drawn(browser: Chromium, timeout: float) -> list[dict]:
    """The dashboard's charts (RENDER_STATE) once every one drew or one failed, or at the timeout."""
    deadline = time.monotonic() + timeout
    state: list[dict] = []
    while time.monotonic() < deadline:
        state = browser.evaluate(RENDER_STATE) or []
        if state and (any(s["error"] for s in state) or all(s["drawn"] and not s["loading"] for s in state)):
            break
        time.sleep(2)
    return state


def open_dashboard(browser: Chromium, superset: Superset, slug: str, timeout: float = 300) -> list[dict]:
    """Opens a dashboard logged in, waits for its charts and their entry animations: their states."""
    browser.set_cookie(superset.url, "session", superset.session_cookie)
    browser.open(f"{superset.url}/superset/dashboard/{slug}/")
    state = drawn(browser, timeout)
    time.sleep(2)
    return state
