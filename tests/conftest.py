"""Shared fixtures of the library's own tests."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from policyproof.snapshot.loader import load_snapshot

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parent.parent
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
NO_BROWSER = "Chromium is not installed; install it with `apt-get install chromium`"
# Headless Chromium will not make a window narrower than 500 pixels, so a page is loaded in a frame of the
# exact width; a probe inside it posts what it saw to this page, which --dump-dom then prints.
HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="page.html{anchor}" style="width:{width}px;height:{height}px;border:0"></iframe>
<script>
window.addEventListener("message", function (event) {{
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = event.data;
  document.body.appendChild(out);
}});
</script></body></html>
"""
SNAPSHOTS = ROOT / "policy_snapshots"
SUITE = Path(__file__).parent / "data" / "suite"


@pytest.fixture
def acme_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the Acme snapshot, its four guarantees of known outcome and the module that collects them."""
    shutil.copytree(SUITE / "policy_snapshots", pytester.path / "policy_snapshots")
    shutil.copytree(SUITE / "features", pytester.path / "features")
    pytester.makepyfile(test_acme_guarantees='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    return pytester


@pytest.fixture(scope="session")
def linkedin_2025() -> Snapshot:
    """The LinkedIn snapshot of 3 November 2025."""
    return load_snapshot(SNAPSHOTS / "linkedin@2025-11-03.yaml", ROOT)


@pytest.fixture(scope="session")
def linkedin_2024() -> Snapshot:
    """The LinkedIn snapshot of 18 September 2024."""
    return load_snapshot(SNAPSHOTS / "linkedin@2024-09-18.yaml", ROOT)


@pytest.fixture(scope="session")
def meta_2025() -> Snapshot:
    """The Meta snapshot of 27 May 2025."""
    return load_snapshot(SNAPSHOTS / "meta@2025-05-27.yaml", ROOT)


class Chromium:
    """Headless Chromium opening a page in a frame of an exact size, to dump what a probe saw or take a screenshot."""

    def __init__(self, folder: Path) -> None:
        """Work in ``folder`` (its profile and pages go there)."""
        self.folder = folder

    def open(
        self, html: str, width: int, height: int, *action: str, anchor: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """Load ``html`` at ``width`` x ``height`` and run the action (``--dump-dom``, ``--screenshot=FILE``)."""
        assert BROWSER is not None
        (self.folder / "page.html").write_text(html, encoding="utf-8")
        harness = self.folder / "harness.html"
        harness.write_text(HARNESS.format(anchor=anchor, width=width, height=height))
        command = [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={self.folder / 'profile'}",
            f"--window-size={max(width, 500) + 100},{height + 100}",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            *action,
            harness.as_uri(),
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603

    def probe(self, html: str, width: int, height: int, anchor: str = "") -> dict[str, Any]:
        """What the page's probe posted, loaded at one size."""
        result = self.open(html, width, height, "--dump-dom", anchor=anchor)
        match = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.DOTALL)
        assert match, f"the probe did not run: {result.stderr[-2000:]}"
        data: dict[str, Any] = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        return data


@pytest.fixture
def chromium(tmp_path: Path) -> Chromium:
    """Headless Chromium working in this test's folder; tests that use it skip where Chromium is not installed."""
    if BROWSER is None:
        pytest.skip(NO_BROWSER)
    return Chromium(tmp_path)
