"""The HTML report in a real headless browser, at desktop and phone widths: visible, filterable, no overflow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Chromium

ROOT = Path(__file__).parent.parent
REPORT = ROOT / "reports" / "compliance-report.html"

# Run inside the page after it loads: measure, use the filters as a reader would, and write what was seen.
PROBE = """
<script>
window.addEventListener("load", function () {
  function visible(el) { return el.offsetParent !== null && el.getBoundingClientRect().height > 0; }
  function count(selector) { return Array.prototype.filter.call(document.querySelectorAll(selector), visible).length; }
  var matrix = document.querySelector("table.matrix");
  var result = {
    width: window.innerWidth,
    pageOverflows: document.documentElement.scrollWidth > window.innerWidth,
    matrixVisible: visible(matrix) && matrix.getBoundingClientRect().top < 5000,
    wideBlocks: Array.prototype.filter.call(document.querySelectorAll("header, section, article, dl, h2, h3, p"),
      function (el) { return el.getBoundingClientRect().right > window.innerWidth + 1; }).length,
    rowsBefore: count("tr.row"),
    euCellsBefore: count("td[data-region='EEA'][data-status]")
  };
  var region = document.getElementById("region-filter");
  region.value = "US";
  region.dispatchEvent(new Event("change"));
  result.eeaCellsAfterRegion = count("td[data-region='EEA'][data-status]");
  result.usCellsAfterRegion = count("td[data-region='US'][data-status]");
  result.detailsOutsideUs = Array.prototype.filter.call(document.querySelectorAll("article.detail"), visible)
    .filter(function (a) { return a.getAttribute("data-regions").split(" ").indexOf("US") < 0; }).length;
  document.querySelectorAll(".status-filter").forEach(function (box) {
    box.checked = box.value === "fail";
    box.dispatchEvent(new Event("change"));
  });
  result.rowsWithFailInUs = count("tr.row");
  result.visibleDetailStatuses = Array.prototype.filter.call(document.querySelectorAll("article.detail"), visible)
    .map(function (a) { return a.getAttribute("data-status"); })
    .filter(function (s, i, all) { return all.indexOf(s) === i; });
  parent.postMessage(JSON.stringify(result), "*");
});
</script>
"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_html_report_is_readable_and_filterable(chromium: Chromium, width: int, height: int) -> None:
    """The matrix shows, nothing widens the page, and the region and status filters hide what they should."""
    report = json.loads(REPORT.with_suffix(".json").read_text())
    rows = sum(len(snapshot["guarantees"]) for snapshot in report["snapshots"])
    with_region = {
        region: sum(1 for s in report["snapshots"] for g in s["guarantees"] if region in g["cells"])
        for region in ("EEA", "US")
    }
    us_checked = sum(1 for s in report["snapshots"] for g in s["guarantees"] if g["cells"].get("US") is not None)
    us_failing = sum(1 for s in report["snapshots"] for g in s["guarantees"] if g["cells"].get("US") == "fail")
    seen = chromium.probe(REPORT.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), width, height)
    assert seen["width"] == width
    assert seen["pageOverflows"] is False
    assert seen["wideBlocks"] == 0
    assert seen["matrixVisible"] is True
    assert seen["rowsBefore"] == rows
    assert seen["euCellsBefore"] == with_region["EEA"]
    assert seen["eeaCellsAfterRegion"] == 0
    assert seen["usCellsAfterRegion"] == us_checked  # rows whose US cell is blank are hidden too
    assert seen["detailsOutsideUs"] == 0
    assert seen["rowsWithFailInUs"] == us_failing > 0
    assert seen["visibleDetailStatuses"] == ["fail"]


# Run inside the page after it loads: the geometry a reader meets, at the anchor the page was opened at.
GEOMETRY = """
<script>
window.addEventListener("load", function () {
  var boxes = Array.prototype.map.call(document.querySelectorAll("table.matrix"), function (t) { return t.parentElement; });
  var ids = document.querySelectorAll("table.matrix tbody td:first-child code");
  var heading = document.getElementById(decodeURIComponent(location.hash.slice(1))).querySelector("h2");
  var landed = { headingTop: heading.getBoundingClientRect().top,
                 barBottom: document.getElementById("filters").getBoundingClientRect().bottom };
  var box = boxes[0];
  var pinned = box.querySelector("tbody tr td:first-child");
  pinned.scrollIntoView({ block: "center" });
  var region = box.querySelector("tbody tr td.status");
  var before = { pinned: pinned.getBoundingClientRect().left, region: region.getBoundingClientRect().left };
  box.scrollLeft = 200;
  var pinnedBox = pinned.getBoundingClientRect();
  var result = {
    overflowing: boxes.filter(function (b) { return b.scrollWidth > b.clientWidth; }).length,
    brokenIds: Array.prototype.filter.call(ids, function (c) { return c.getClientRects().length !== 1; }).length,
    ids: ids.length,
    headingTop: landed.headingTop,
    barBottom: landed.barBottom,
    height: window.innerHeight,
    scrolled: box.scrollLeft,
    pinnedMoved: pinnedBox.left - before.pinned,
    pinnedFromEdge: pinnedBox.left - box.getBoundingClientRect().left,
    regionMoved: region.getBoundingClientRect().left - before.region,
    pinnedOnTop: document.elementFromPoint(pinnedBox.right - 2, pinnedBox.top + 4) === pinned
  };
  parent.postMessage(JSON.stringify(result), "*");
});
</script>
"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_heading_reached_by_a_link_is_not_under_the_sticky_filter_bar(
    chromium: Chromium, width: int, height: int
) -> None:
    """Opened at a snapshot's anchor, its heading rests below the sticky filter bar, in view."""
    html = REPORT.read_text(encoding="utf-8").replace("</body>", GEOMETRY + "</body>")
    seen = chromium.probe(html, width, height, anchor="#linkedin@2025-11-03")
    assert seen["barBottom"] <= seen["headingTop"] < seen["height"] / 2


def test_the_matrix_fits_a_desktop_width_and_never_breaks_a_guarantee_id(chromium: Chromium) -> None:
    """At 1280 px no matrix scrolls sideways, and every guarantee id stays on one line."""
    html = REPORT.read_text(encoding="utf-8").replace("</body>", GEOMETRY + "</body>")
    seen = chromium.probe(html, 1280, 900, anchor="#linkedin@2025-11-03")
    assert seen["overflowing"] == 0
    assert seen["ids"] > 0
    assert seen["brokenIds"] == 0


def test_on_a_phone_the_regions_scroll_while_the_guarantee_column_stays_pinned(chromium: Chromium) -> None:
    """At 390 px the matrix scrolls sideways; its guarantee column stays put and covers what scrolls beneath."""
    html = REPORT.read_text(encoding="utf-8").replace("</body>", GEOMETRY + "</body>")
    seen = chromium.probe(html, 390, 844, anchor="#linkedin@2025-11-03")
    assert seen["overflowing"] > 0
    assert seen["scrolled"] == 200
    assert seen["regionMoved"] == -200
    assert abs(seen["pinnedMoved"]) <= 1  # held at the scrolling box's edge, past the table's 1 px border
    assert seen["pinnedFromEdge"] == 0
    assert seen["pinnedOnTop"] is True
    assert seen["brokenIds"] == 0
