"""The timeline picture: its bars and marks, escaping, and in headless Chromium that it renders and its text selects."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policyproof.history.facts import Named
from policyproof.history.timeline import timeline
from policyproof.report.timeline import COLOURS, render_svg

if TYPE_CHECKING:
    from conftest import Chromium

    from policyproof.snapshot.model import Snapshot

ROOT = Path(__file__).parent.parent
REPORT = ROOT / "reports" / "compliance-report.html"


def test_each_version_draws_its_uses_from_their_start_to_the_next_version(
    linkedin_2024: Snapshot, linkedin_2025: Snapshot
) -> None:
    """Generative AI training runs in the US under the 2024 rule until 2 November 2025, then under the 2025 one."""
    line = timeline([linkedin_2025, linkedin_2024], dt.date(2025, 11, 3))
    us = [(b.start, b.end, b.version) for b in line.bars if b.group == "US" and b.purpose.id == "genai_training"]
    assert us == [
        (dt.date(2024, 9, 18), dt.date(2025, 11, 2), "linkedin@2024-09-18"),
        (dt.date(2025, 11, 3), line.end, "linkedin@2025-11-03"),
    ]
    eea = {b.purpose.id for b in line.bars if b.group == "EEA"}
    assert eea == {"genai_training", "other_ai_training", "offsite_ad_targeting"}
    assert [g.id for g in line.groups] == [g.id for g in linkedin_2025.region_groups]
    assert line.versions[1] == ("linkedin@2025-11-03", dt.date(2025, 9, 18), dt.date(2025, 11, 3))


def test_the_svg_has_a_bar_a_use_marks_and_escaped_text(linkedin_2024: Snapshot, linkedin_2025: Snapshot) -> None:
    """The SVG draws one bar per use and region, marks the versions, and escapes every label."""
    line = timeline([linkedin_2024, linkedin_2025], dt.date(2025, 11, 3))
    svg = render_svg(line)
    assert svg.count('<rect class="bar') == len(line.bars)
    assert svg.count('<line class="version"') == 2 + 1  # two versions, and the legend's sample
    assert svg.count('<line class="announced"') == 1 + 1  # the 2025 version was announced ahead
    assert ">linkedin@2025-11-03 (announced 18 September 2025)</text>" in svg
    assert "<title>generative AI training in United States: from 3 November 2025, no end stated, on by default" in svg
    hostile = timeline([linkedin_2024], dt.date(2025, 1, 1))
    hostile = dataclasses.replace(hostile, purposes=(Named("genai_training", "<b>&</b>"),), bars=())
    assert ">&lt;b&gt;&amp;&lt;/b&gt;</text>" in render_svg(hostile)
    assert "<b>" not in render_svg(hostile)


# --- in a browser -----------------------------------------------------------------------------------------

PROBE = """
<script>
window.addEventListener("load", function () {
  var svg = document.querySelector("#timelines svg.timeline");
  var box = svg.getBoundingClientRect();
  var label = svg.querySelector("text.group");
  var range = document.createRange();
  range.selectNodeContents(label);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  var result = {
    width: window.innerWidth,
    pageOverflows: document.documentElement.scrollWidth > window.innerWidth,
    svgWidth: Math.round(box.width),
    svgHeight: Math.round(box.height),
    drawnHeight: Number(svg.getAttribute("height")),
    timelines: document.querySelectorAll("#timelines svg.timeline").length,
    bars: document.querySelectorAll("#timelines rect.bar").length,
    selected: selection.toString(),
    userSelect: getComputedStyle(label).userSelect,
    scrolls: getComputedStyle(svg.parentElement).overflowX
  };
  parent.postMessage(JSON.stringify(result), "*");
});
</script>
"""


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit, non-interlaced PNG (as Chromium writes screenshots)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    data = b""
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        body = png[offset + 8 : offset + 8 + length]
        if kind == b"IDAT":
            data += body
        else:
            chunks[kind] = body
        offset += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, interlace) == (8, 0)
    size = {2: 3, 6: 4}[colour_type]
    raw, stride = zlib.decompress(data), width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                estimate = left + up - corner
                near = min(
                    (abs(estimate - left), 0, left), (abs(estimate - up), 1, up), (abs(estimate - corner), 2, corner)
                )
                line[i] = (line[i] + near[2]) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(row[i : i + 3]) for row in rows for i in range(0, len(row), size)]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_timeline_renders_and_its_text_is_selectable(chromium: Chromium, width: int, height: int) -> None:
    """In Chromium every platform has a timeline, shown at full size, scrolling sideways on a phone, its text selectable."""
    report = REPORT.read_text(encoding="utf-8")
    seen = chromium.probe(report.replace("</body>", PROBE + "</body>"), width, height, anchor="#timelines")
    platforms = {s["platform"] for s in json.loads(REPORT.with_suffix(".json").read_text())["snapshots"]}
    assert seen["timelines"] == len(platforms) == 4  # Anthropic, LinkedIn, Meta and X
    assert seen["width"] == width
    assert seen["pageOverflows"] is False
    assert seen["svgWidth"] == 760
    assert seen["svgHeight"] == seen["drawnHeight"]
    assert seen["bars"] == report.count('<rect class="bar')
    assert seen["selected"] == "European Economic Area"
    assert seen["userSelect"] != "none"
    assert seen["scrolls"] == "auto"


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_screenshot_of_the_timeline_shows_its_bars(
    chromium: Chromium, tmp_path: Path, width: int, height: int
) -> None:
    """A screenshot of the report at the timeline shows the bars in the first purpose's colour."""
    shot = tmp_path / "shot.png"
    html = REPORT.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>")
    result = chromium.open(html, width, height, f"--screenshot={shot}", anchor="#timelines")
    assert shot.exists(), result.stderr[-2000:]
    _, _, pixels = _pixels(shot.read_bytes())
    blue = bytes.fromhex(COLOURS[0][1:])
    assert sum(1 for pixel in pixels if pixel == blue) > 2000
