"""The report's "What changed" section: the semantic diff and the guarantees' outcomes compared cell by cell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from policyproof.outcomes import CellRecord, Finding, Severity, Status
from policyproof.report.changes import version_changes
from policyproof.report.html import render_html
from policyproof.report.json_report import render_json
from policyproof.report.markdown import render_markdown
from policyproof.report.results import Coverage, Report, build_report
from policyproof.snapshot.loader import load_snapshot

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot

ROOT = Path(__file__).parent.parent
OLD = load_snapshot(ROOT / "tests" / "data" / "suite" / "policy_snapshots" / "acme@2025-01-01.yaml", ROOT)
# The next version stops stating the legal basis in Europe.
NEW = dataclasses.replace(
    OLD,
    version=dt.date(2025, 6, 1),
    effective=dt.date(2025, 6, 1),
    purposes=(
        dataclasses.replace(
            OLD.purposes[0],
            rules=(dataclasses.replace(OLD.purposes[0].rules[0], legal_basis=None), *OLD.purposes[0].rules[1:]),
        ),
        *OLD.purposes[1:],
    ),
)
# Each cell's outcome in the old and the new version (None: not checked there).
OUTCOMES: dict[tuple[str, str], tuple[Status | None, Status | None]] = {
    ("G-BASIS", "EU"): (Status.PASS, Status.FAIL),
    ("G-BASIS", "ROW"): (Status.FAIL, Status.PASS),
    ("G-ADS-OFF", "EU"): (Status.NOT_APPLICABLE, Status.PASS),
    ("G-ADS-OFF", "ROW"): (Status.PASS, Status.PASS),
    ("G-OPT-OUT", "EU"): (Status.PASS, Status.NOT_APPLICABLE),
}


def record(snapshot: Snapshot, guarantee: str, region: str, status: Status) -> CellRecord:
    """One cell's record, as the plugin would make it."""
    finding = Finding(
        status=status,
        expected="expected",
        decided="decided",
        reason="reason",
        explanation="explanation",
        rule_location=f"{snapshot.location}:40",
        sources=(),
    )
    return CellRecord(
        guarantee=guarantee,
        title=f"{guarantee} title",
        scenario="scenario",
        severity=Severity.BLOCKING,
        feature="features/x.feature:3",
        snapshot=snapshot.id,
        region=region,
        status=status,
        finding=finding,
    )


def two_versions() -> Report:
    """A report holding both Acme versions with the outcomes above."""
    records = [
        record(snapshot, guarantee, region, status)
        for (guarantee, region), pair in OUTCOMES.items()
        for snapshot, status in zip((OLD, NEW), pair, strict=True)
        if status is not None
    ]
    return build_report(records, {OLD.id: OLD, NEW.id: NEW}, dt.date(2025, 6, 1), Coverage((OLD.id, NEW.id)))


def test_consecutive_versions_are_compared_cell_by_cell() -> None:
    """Each cell whose outcome moved is named with what the move means; unchanged cells are left out."""
    [change] = version_changes(two_versions())
    assert (change.old.snapshot.id, change.new.snapshot.id) == ("acme@2025-01-01", "acme@2025-06-01")
    moved = {(c.guarantee, c.region): (c.before, c.after, c.kind) for c in change.cells}
    assert moved == {
        ("G-BASIS", "EU"): (Status.PASS, Status.FAIL, "newly failing"),
        ("G-BASIS", "ROW"): (Status.FAIL, Status.PASS, "newly passing"),
        ("G-ADS-OFF", "EU"): (Status.NOT_APPLICABLE, Status.PASS, "newly applicable"),
        ("G-OPT-OUT", "EU"): (Status.PASS, Status.NOT_APPLICABLE, "no longer applicable"),
    }


def test_the_markdown_report_says_what_changed_and_how_outcomes_moved() -> None:
    """The Markdown report has the semantic diff and the table of moved outcomes, with their counts."""
    text = render_markdown(two_versions())
    section = text[text.index("## What changed") : text.index("## Failing, erroring, waived and unknown cells")]
    assert "### What changed from acme@2025-01-01 to acme@2025-06-01" in section
    assert "- The legal basis is no longer stated (before: legitimate interest)." in section
    assert "1 newly failing, 1 newly applicable, 1 newly passing, 1 no longer applicable." in section
    assert "| `G-BASIS`   | EU       | blocking   | pass           | fail           | newly failing        |" in section


def test_the_html_report_says_what_changed() -> None:
    """The HTML report has the "What changed" section with the diff's sentences and the moved outcomes."""
    html = render_html(two_versions())
    assert '<section id="what-changed">' in html
    assert "<li>The legal basis is no longer stated (before: legitimate interest).</li>" in html
    assert "<td>newly failing</td>" in html


def test_the_json_report_carries_the_changes_and_follows_its_schemas() -> None:
    """The JSON report's history holds the diff (in the diff's schema) and the moved cells."""
    data = json.loads(render_json(two_versions()))
    schemas = [json.loads((ROOT / "schemas" / name).read_text()) for name in ("report.schema.json", "diff.schema.json")]
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas
    )
    Draft202012Validator(schemas[0], registry=registry).validate(data)
    [history] = data["history"]
    assert history["diff"]["entries"][0]["changes"][0]["field"] == "legal_basis"
    assert {
        "guarantee": "G-BASIS",
        "region": "EU",
        "severity": "blocking",
        "before": "pass",
        "after": "fail",
        "change": "newly failing",
    } in history["cells"]


def test_a_report_of_one_version_a_platform_has_no_what_changed_section() -> None:
    """With one version of each platform there is nothing to compare, and the section is left out."""
    report = build_report(
        [record(OLD, "G-BASIS", "EU", Status.PASS)], {OLD.id: OLD}, dt.date(2025, 6, 1), Coverage((OLD.id,))
    )
    assert "## What changed" not in render_markdown(report)
    assert 'id="what-changed"' not in render_html(report)
    assert json.loads(render_json(report))["history"] == []
