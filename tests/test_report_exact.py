"""The report is exact: each count names its unit, a narrowed run says so, findings alike are given once.

It also says which snapshots are in force and which are superseded, shows each failing rule's recipients and
disagreements, and has no waivers section when there is no waivers file.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from policyproof.outcomes import CellRecord, Finding, Severity, Status
from policyproof.report.formats import count_lines
from policyproof.report.html import render_html
from policyproof.report.json_report import report_data
from policyproof.report.markdown import render_markdown
from policyproof.report.results import Chosen, Coverage, build_report
from policyproof.snapshot.loader import link_versions, load_snapshot

if TYPE_CHECKING:
    from policyproof.report.results import Report
    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Rule

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
ACME = "acme@2025-01-01"
AS_OF = dt.date(2025, 6, 1)
RUN = ("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "out")
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
# A waiver of G-BASIS in ROW until 2025-12-31, for the Acme suite.
WAIVER = (Path(__file__).parent / "data" / "waivers" / "basis-outside-europe.yaml").read_text()
# A second G-OPT-OUT scenario, passing in EU and ROW: the guarantee then has two scenario x region cells in
# each region group, and the two units give different figures.
SECOND_SCENARIO = """
  Scenario: A member who did nothing is used
    Given a member
    When their public posts are considered for AI training on 2025-03-01
    Then it is used
"""


@pytest.fixture(scope="module")
def acme() -> Snapshot:
    """The Acme test snapshot."""
    return load_snapshot(DATA / "suite" / "policy_snapshots" / f"{ACME}.yaml", DATA / "suite")


def record(
    guarantee: str,
    scenario: str,
    region: str,
    status: Status,
    *,
    severity: Severity = Severity.BLOCKING,
    finding: Finding | None = None,
    snapshot: str = ACME,
) -> CellRecord:
    """A cell record as a run makes it."""
    finding = finding or Finding(
        status=status, expected="expected", decided="decided", reason="reason", explanation="why"
    )
    return CellRecord(
        guarantee=guarantee,
        title=guarantee,
        scenario=scenario,
        severity=severity,
        feature="x.feature:3",
        snapshot=snapshot,
        region=region,
        status=status,
        finding=finding,
    )


def everything(report: Report) -> dict[str, str]:
    """The report in every format."""
    return {
        "md": render_markdown(report),
        "html": render_html(report),
        "json": json.dumps(report_data(report), ensure_ascii=False),
    }


def table_rows(markdown: str) -> dict[str, list[str]]:
    """The Markdown tables' rows by their first cell (the first such row), each cell stripped."""
    found: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        if line.startswith("| "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            found.setdefault(cells[0], cells[1:])
    return found


# --- units -----------------------------------------------------------------------------------------------


def test_each_count_names_its_unit_and_agrees_with_the_records(acme: Snapshot) -> None:
    """Guarantee x region cells are the matrix's cells; scenario x region cells are the records; both are said."""
    records = [
        record("G-A", "one", "EU", Status.PASS),
        record("G-A", "one", "ROW", Status.FAIL),
        record("G-A", "two", "EU", Status.PASS),
        record("G-A", "two", "ROW", Status.PASS),
        record("G-B", "three", "EU", Status.FAIL, severity=Severity.ADVISORY),
        record("G-B", "three", "ROW", Status.NOT_APPLICABLE, severity=Severity.ADVISORY),
    ]
    report = build_report(records, {ACME: acme}, AS_OF, Coverage((ACME,)))
    matrix = "4 guarantee x region cells: 1 pass, 2 fail (1 blocking, 1 advisory), 1 not-applicable"
    scenarios = "6 scenario x region cells: 3 pass, 2 fail (1 blocking, 1 advisory), 1 not-applicable"
    assert report.totals.sentence() == matrix
    assert report.scenarios.sentence() == scenarios
    assert count_lines(report) == [matrix, scenarios]
    cells = [status for section in report.sections for row in section.rows for status in row.cells]
    assert report.totals.outcomes == Counter(status for status in cells if status is not None)
    assert report.scenarios.outcomes == Counter(r.status for r in records)
    markdown = render_markdown(report)
    assert f"- Matrices: {matrix}. Each shows the worst outcome" in markdown
    assert f"- Scenarios: {scenarios}. Each is one scenario checked in one region group" in markdown
    assert f"Matrix: {matrix}. Scenarios: {scenarios}." in markdown
    data = report_data(report)
    assert sum(data["totals"].values()) == 4
    assert sum(data["scenario_totals"].values()) == 6
    assert (data["blocking_failures"], data["scenario_blocking_failures"]) == (1, 1)


def test_the_run_the_report_and_the_json_give_the_same_figures(acme_suite: pytest.Pytester) -> None:
    """The run's lines and every format of the report say the same counts, each with its unit."""
    feature = acme_suite.path / "features" / "opting_out_is_honoured.feature"
    feature.write_text(feature.read_text() + SECOND_SCENARIO)
    matrix = "8 guarantee x region cells: 4 pass, 3 fail (1 blocking, 2 advisory), 1 not-applicable"
    scenarios = "10 scenario x region cells: 6 pass, 3 fail (1 blocking, 2 advisory), 1 not-applicable"
    result = acme_suite.runpytest(*RUN)
    result.stdout.fnmatch_lines([matrix, scenarios, "*1 failed, 3 passed, 1 advisory failed*"])
    out = acme_suite.path / "out"
    markdown = (out / "compliance-report.md").read_text()
    assert f"- Matrices: {matrix}." in markdown
    assert f"- Scenarios: {scenarios}." in markdown
    html = (out / "compliance-report.html").read_text()
    assert f"Matrices: {matrix}." in html
    assert f"Scenarios: {scenarios}." in html
    data = json.loads((out / "compliance-report.json").read_text())
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(data)
    assert data["totals"] == {
        "pass": 4,
        "fail": 3,
        "unknown": 0,
        "not-covered": 0,
        "not-applicable": 1,
        "waived": 0,
        "error": 0,
    }
    assert data["scenario_totals"] == {
        "pass": 6,
        "fail": 3,
        "unknown": 0,
        "not-covered": 0,
        "not-applicable": 1,
        "waived": 0,
        "error": 0,
    }
    assert data["blocking_failures"] == data["scenario_blocking_failures"] == 1


# --- scope -----------------------------------------------------------------------------------------------


def test_a_region_left_out_is_not_checked_and_a_region_not_concerned_is_blank(acme: Snapshot) -> None:
    """A guarantee that ran only in EU leaves ROW blank; a run narrowed to EU marks ROW not checked instead."""
    records = [record("G-A", "one", "EU", Status.PASS)]
    full = build_report(records, {ACME: acme}, AS_OF, Coverage((ACME,)))
    narrowed = build_report(records, {ACME: acme}, AS_OF, Coverage((ACME,), Chosen.EVERY, ("EU",)))
    assert table_rows(render_markdown(full))["`G-A`"] == ["G-A", "blocking", "✅ pass", ""]
    assert "not checked" not in "".join(everything(full).values())
    markdown = render_markdown(narrowed)
    assert table_rows(markdown)["`G-A`"] == ["G-A", "blocking", "✅ pass", "⏭️ not checked"]
    assert table_rows(markdown)["**Total**"] == ["", "", "1 ✅", "⏭️ not checked"]
    assert "⏭️ not checked: the run was narrowed and did not check that region group" in markdown
    assert "Region groups: EU: Europe; ROW: Rest of the world (not checked)." in markdown
    html = render_html(narrowed)
    assert html.count('class="status not-checked" data-region="ROW">⊘ not checked</td>') == 1
    [section] = report_data(narrowed)["snapshots"]
    assert section["regions"] == [
        {"id": "EU", "label": "Europe", "checked": True},
        {"id": "ROW", "label": "Rest of the world", "checked": False},
    ]
    assert section["guarantees"][0]["cells"] == {"EU": "pass"}
    assert report_data(full)["snapshots"][0]["guarantees"][0]["cells"] == {"EU": "pass", "ROW": None}


@pytest.mark.parametrize(
    ("coverage", "sentence"),
    [
        (Coverage((ACME,)), f"Checked: every snapshot ({ACME}); every region group."),
        (
            Coverage((ACME,), Chosen.IN_FORCE),
            f"Checked: the latest snapshot of each platform in force on 2025-06-01 ({ACME}); every region group.",
        ),
        (
            Coverage((ACME,), Chosen.NAMED),
            f"Checked: only the snapshots named with --snapshot ({ACME}); every region group. "
            "A narrowed run: this is not a full report.",
        ),
        (
            Coverage((ACME,), Chosen.EVERY, ("EU",)),
            f"Checked: every snapshot ({ACME}); only the region groups named with --region (EU). "
            "A narrowed run: this is not a full report.",
        ),
    ],
    ids=["every", "in-force", "named", "region"],
)
def test_the_report_says_what_the_run_checked(acme: Snapshot, coverage: Coverage, sentence: str) -> None:
    """The header says which snapshots and region groups were checked, and that a narrowed run is not full."""
    report = build_report([record("G-A", "one", "EU", Status.PASS)], {ACME: acme}, AS_OF, coverage)
    assert f"- {sentence}\n" in render_markdown(report)
    assert f'<li id="coverage">{sentence}</li>' in render_html(report)
    assert (count_lines(report)[0] == sentence) is coverage.narrowed
    assert report_data(report)["scope"]["narrowed"] is coverage.narrowed


def test_the_report_names_snapshots_that_scenarios_pinned_outside_the_scope(
    linkedin_2024: Snapshot, linkedin_2025: Snapshot
) -> None:
    """A scenario that names a snapshot runs against it whatever the scope; the header says so."""
    records = [record("G-A", "one", "US", Status.PASS, snapshot=s.id) for s in (linkedin_2024, linkedin_2025)]
    snapshots = {s.id: s for s in (linkedin_2024, linkedin_2025)}
    report = build_report(records, snapshots, AS_OF, Coverage((linkedin_2025.id,), Chosen.IN_FORCE))
    assert report.coverage.sentence(AS_OF) == (
        f"Checked: the latest snapshot of each platform in force on {AS_OF.isoformat()} ({linkedin_2025.id}); "
        f"and, for the scenarios that name them, {linkedin_2024.id}; every region group."
    )


def test_a_run_narrowed_by_region_says_so_everywhere(acme_suite: pytest.Pytester) -> None:
    """--region EU: the terminal, the Markdown, the HTML and the JSON say ROW was not checked."""
    result = acme_suite.runpytest(*RUN, "--region", "EU")
    narrowed = (
        f"Checked: the latest snapshot of each platform in force on 2025-06-01 ({ACME}); only the region groups "
        "named with --region (EU). A narrowed run: this is not a full report."
    )
    result.stdout.fnmatch_lines(
        ["G-ADS-OFF          blocking    n/a   unchecked", narrowed, "4 guarantee x region cells: *"]
    )
    out = acme_suite.path / "out"
    markdown = (out / "compliance-report.md").read_text()
    assert f"- {narrowed}" in markdown
    rows = [cells for cells in table_rows(markdown).values() if len(cells) == 4]
    assert [cells[-1] for cells in rows] == ["ROW"] + ["⏭️ not checked"] * 5  # four guarantees and the total
    assert (out / "compliance-report.html").read_text().count(">⊘ not checked</td>") == 5
    data = json.loads((out / "compliance-report.json").read_text())
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(data)
    assert data["scope"] == {
        "snapshots": [ACME],
        "chosen": "in-force",
        "regions": ["EU"],
        "selection": [],
        "narrowed": True,
    }
    assert all(set(row["cells"]) == {"EU"} for row in data["snapshots"][0]["guarantees"])


# --- details ---------------------------------------------------------------------------------------------


def _genai(snapshot: Snapshot, region: str) -> Rule:
    rule = snapshot.rule_for(snapshot.find_purpose("generative AI training").id, region)
    assert rule is not None
    return rule


def test_findings_alike_in_several_regions_are_one_entry_in_matrix_order(linkedin_2024: Snapshot) -> None:
    """Two cells of one scenario with one finding are one entry naming both region groups, as the matrix orders them."""
    rule = _genai(linkedin_2024, "US")
    assert _genai(linkedin_2024, "ROW") == rule
    location = f"{linkedin_2024.location}:{rule.line}"
    finding = Finding(
        status=Status.FAIL,
        expected="not used",
        decided="used",
        reason="default-on",
        explanation="it is on by default",
        rule_location=location,
        sources=rule.sources,
    )
    records = [
        record("G-MINORS", "under 18", region, Status.FAIL, finding=finding, snapshot=linkedin_2024.id)
        for region in ("ROW", "US")
    ]
    report = build_report(records, {linkedin_2024.id: linkedin_2024}, AS_OF, Coverage((linkedin_2024.id,)))
    [detail] = report.details
    assert detail.region_ids == ("US", "ROW")
    markdown = render_markdown(report)
    assert f"### ❌ fail (blocking): `G-MINORS` under 18, {linkedin_2024.id} in US, ROW\n" in markdown
    assert "- Region groups: United States (US), Rest of the world (ROW)\n" in markdown
    assert markdown.count("### ❌ fail") == 1
    assert report_data(report)["details"][0]["regions"] == ["US", "ROW"]
    assert "✗ fail (blocking)</span>: <code>G-MINORS</code> under 18" in render_html(report)
    assert 'data-regions="US ROW"' in render_html(report)


def test_findings_that_differ_only_in_their_region_name_are_one_entry_naming_all(acme: Snapshot) -> None:
    """Explanations naming their own region group are merged, and the merged one names every region group."""

    def finding(where: str) -> Finding:
        return Finding(
            status=Status.FAIL,
            expected="30 days' notice",
            decided="does not hold",
            reason="late",
            explanation=f"AI training in {where} was late",
        )

    records = [
        record("G-N", "notice", "EU", Status.FAIL, finding=finding("Europe (EU)")),
        record("G-N", "notice", "ROW", Status.FAIL, finding=finding("Rest of the world (ROW)")),
    ]
    report = build_report(records, {ACME: acme}, AS_OF, Coverage((ACME,)))
    [detail] = report.details
    assert detail.finding.explanation == "AI training in Europe (EU) and Rest of the world (ROW) was late"
    assert report_data(report)["details"][0]["explanation"] == detail.finding.explanation


def test_cells_with_different_findings_or_outcomes_stay_apart(acme: Snapshot) -> None:
    """A different decision, rule or outcome in another region group is its own entry, blocking ones first."""
    same = Finding(
        status=Status.FAIL, expected="e", decided="d", reason="r", explanation="x", rule_location=f"{acme.location}:47"
    )
    records = [
        record("G-A", "one", "EU", Status.FAIL, finding=same),
        record(
            "G-A",
            "one",
            "ROW",
            Status.FAIL,
            finding=Finding(
                status=Status.FAIL,
                expected="e",
                decided="d",
                reason="r",
                explanation="x",
                rule_location=f"{acme.location}:58",
            ),
        ),
        record("G-B", "two", "EU", Status.FAIL, severity=Severity.ADVISORY, finding=same),
        record("G-C", "three", "EU", Status.FAIL, finding=same),
        record("G-C", "three", "ROW", Status.WAIVED, finding=same),
    ]
    report = build_report(records, {ACME: acme}, AS_OF, Coverage((ACME,)))
    assert [(d.record.guarantee, d.region_ids, d.record.status) for d in report.details] == [
        ("G-A", ("EU",), Status.FAIL),
        ("G-A", ("ROW",), Status.FAIL),
        ("G-C", ("EU",), Status.FAIL),
        ("G-C", ("ROW",), Status.WAIVED),
        ("G-B", ("EU",), Status.FAIL),
    ]
    markdown = render_markdown(report)
    assert "### ❌ fail (advisory): `G-B` two, acme@2025-01-01 in EU" in markdown
    assert "### ⚠️ waived (blocking): `G-C` three, acme@2025-01-01 in ROW" in markdown


def test_a_failure_shows_its_rules_recipients_and_disagreements(linkedin_2024: Snapshot) -> None:
    """Each entry names who receives the data and where the rule's sources disagree; the snapshot lists them all."""
    rule = _genai(linkedin_2024, "US")
    assert rule.recipients
    assert rule.disagreements
    location = f"{linkedin_2024.location}:{rule.line}"
    finding = Finding(
        status=Status.FAIL,
        expected="not used",
        decided="used",
        reason="default-on",
        explanation="it is on by default",
        rule_location=location,
        sources=rule.sources,
    )
    records = [record("G-MINORS", "under 18", "US", Status.FAIL, finding=finding, snapshot=linkedin_2024.id)]
    report = build_report(records, {linkedin_2024.id: linkedin_2024}, AS_OF, Coverage((linkedin_2024.id,)))
    [detail] = report_data(report)["details"]
    assert detail["recipients"] == list(rule.recipients)
    assert [(d["about"], [s["id"] for s in d["sources"]], d["resolution"]) for d in detail["disagreements"]] == [
        (d.about, list(d.sources), d.resolution) for d in rule.disagreements
    ]
    [disagreement] = [d for d in report_data(report)["snapshots"][0]["disagreements"] if d["rule"] == location]
    assert disagreement["purpose"] == "generative AI training"
    assert disagreement["regions"] == list(rule.regions)
    markdown = render_markdown(report)
    assert f"- Recipients: {', '.join(rule.recipients)}\n" in markdown
    first = rule.disagreements[0]
    source = linkedin_2024.source(first.sources[0])
    assert f"- Sources disagree: {first.about} Sources: `{source.id}` ({source.publisher})" in markdown
    assert f"- generative AI training in {', '.join(rule.regions)} (`{location}`): {first.about} Sources: " in markdown
    assert "<dt>Recipients</dt>" in render_html(report)


def test_a_snapshot_without_disagreements_says_so(acme: Snapshot) -> None:
    """Where no source disagrees, the snapshot's section says that none is recorded, rather than nothing."""
    report = build_report([record("G-A", "one", "EU", Status.PASS)], {ACME: acme}, AS_OF, Coverage((ACME,)))
    assert "No disagreement between sources is recorded in this snapshot." in render_markdown(report)
    assert report_data(report)["snapshots"][0]["disagreements"] == []


# --- waivers ---------------------------------------------------------------------------------------------


def test_without_a_waivers_file_there_is_no_waivers_section(acme_suite: pytest.Pytester) -> None:
    """No waivers file: no waivers heading and no sentence about waivers in any format."""
    acme_suite.runpytest(*RUN)
    out = acme_suite.path / "out"
    for suffix in ("md", "html"):
        text = (out / f"compliance-report.{suffix}").read_text()
        assert "Waivers" not in text
        assert "Every waiver in force was used" not in text
    assert json.loads((out / "compliance-report.json").read_text())["waivers"] == {
        "file": None,
        "unused": [],
        "expired": [],
    }


def test_with_a_waivers_file_the_report_names_it(acme_suite: pytest.Pytester) -> None:
    """A waivers file whose waivers were all used is named, with the sentence that says so."""
    (acme_suite.path / "waivers.yaml").write_text(WAIVER)
    acme_suite.runpytest(*RUN)
    markdown = (acme_suite.path / "out" / "compliance-report.md").read_text()
    assert markdown.endswith("## Waivers (`waivers.yaml`)\n\nEvery waiver in force was used; none has expired.\n")
    data = json.loads((acme_suite.path / "out" / "compliance-report.json").read_text())
    assert data["waivers"]["file"] == "waivers.yaml"


# --- succession ------------------------------------------------------------------------------------------


AFTER = (
    0,
    "Superseded by {new} on {on}: not in force on {day}, the report's date.",
    "In force on {day}, the report's date.",
)
BEFORE = (
    -1,
    "In force on {day}, the report's date; superseded by {new} on {on}.",
    "Not yet in force on {day}, the report's date: it takes effect on {on}.",
)


@pytest.mark.parametrize("case", [AFTER, BEFORE], ids=["on-the-day", "the-day-before"])
def test_a_superseded_snapshot_says_by_what_and_when(
    linkedin_2024: Snapshot, linkedin_2025: Snapshot, meta_2025: Snapshot, case: tuple[int, str, str]
) -> None:
    """A version is in force from its effective date until the next version of its platform takes effect."""
    offset, old, new = case
    as_of = linkedin_2025.effective + dt.timedelta(days=offset)
    snapshots = {s.id: s for s in link_versions((linkedin_2024, linkedin_2025, meta_2025))}
    records = [record("G-A", "one", "US", Status.PASS, snapshot=s) for s in (linkedin_2024.id, linkedin_2025.id)]
    report = build_report(records, snapshots, as_of, Coverage(tuple(snapshots)))
    values = {"new": linkedin_2025.id, "on": linkedin_2025.effective.isoformat(), "day": as_of.isoformat()}
    older, newer = report.sections
    assert older.standing(as_of) == old.format(**values)
    assert newer.standing(as_of) == new.format(**values)
    assert report.in_force == ((linkedin_2025.id if offset == 0 else linkedin_2024.id), meta_2025.id)
    markdown = render_markdown(report)
    assert f"**{old.format(**values)}**" in markdown
    assert table_rows(markdown)["Superseded by"] == [f"{linkedin_2025.id} on {values['on']}"]
    assert f"- In force on {as_of.isoformat()}: {', '.join(report.in_force)}." in markdown
    assert f"<strong>{old.format(**values)}</strong>".replace("'", "&#39;") in render_html(report)
    data = report_data(report)
    assert data["snapshots"][0]["superseded_by"] == {"id": linkedin_2025.id, "on": values["on"]}
    assert [s["in_force"] for s in data["snapshots"]] == [offset != 0, offset == 0]
    assert data["in_force"] == list(report.in_force)


# --- policyproof check -----------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the Acme suite, with a committed report of every snapshot and region group."""
    shutil.copytree(DATA / "suite", tmp_path, dirs_exist_ok=True)
    (tmp_path / "features" / "test_guarantees.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n')
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "compliance-report.md").write_text("committed\n")
    return tmp_path


def check(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``policyproof check`` in the project."""
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "check", "--as-of", "2025-06-01", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "narrowing",
    [("--region", "EU"), ("--snapshot", ACME), ("--snapshot", "all", "--region", "EU")],
    ids=["region", "snapshot", "every-snapshot-one-region"],
)
def test_a_narrowed_check_writes_to_build_and_leaves_reports_alone(project: Path, narrowing: tuple[str, ...]) -> None:
    """A check narrowed by --region or --snapshot writes build/policy-report/, never the committed reports/."""
    result = check(project, *narrowing)
    assert result.returncode in {0, 1}, result.stdout + result.stderr
    assert (project / "reports" / "compliance-report.md").read_text() == "committed\n"
    assert (
        "A narrowed run: this is not a full report."
        in (project / "build" / "policy-report" / "compliance-report.md").read_text()
    )
    assert "report written: build/policy-report/compliance-report.md" in result.stdout


def test_a_narrowed_check_writes_where_report_says(project: Path) -> None:
    """--report chooses the folder for a narrowed run, unless it names the committed one."""
    result = check(project, "--region", "EU", "--report", "elsewhere")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "only the region groups named with --region (EU)"
        in (project / "elsewhere" / "compliance-report.md").read_text()
    )
    assert not (project / "build").exists()


@pytest.mark.parametrize(
    "narrowing",
    [
        ("--region", "EU"),
        ("--snapshot", ACME),
        (),
        ("--snapshot", "all", "--", "-k", "basis"),
        ("--snapshot", "all", "--", "-m", "advisory"),
    ],
    ids=["region", "snapshot", "in-force", "k", "m"],
)
def test_a_narrowed_check_is_refused_the_committed_folder_before_it_runs(
    project: Path, narrowing: tuple[str, ...]
) -> None:
    """--report reports/ with a run narrowed from the start exits 2 in one line, before any guarantee runs."""
    options, _, pytest_args = " ".join(narrowing).partition(" -- ")
    result = check(
        project, *options.split(), "--report", "reports", *(["--", *pytest_args.split()] if pytest_args else [])
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        "ERROR: policyproof: reports: this folder holds only the report of a full run (--snapshot all, no --region, "
        "every scenario); give another report folder, or none to write build/policy-report"
    ]
    assert "passed" not in result.stdout
    assert "failed" not in result.stdout
    assert (project / "reports" / "compliance-report.md").read_text() == "committed\n"


@pytest.mark.parametrize(
    ("pytest_args", "words"),
    [
        (("-k", "basis"), "only the scenarios pytest's -k 'basis' selects"),
        (("-m", "advisory"), "only the scenarios pytest's -m 'advisory' selects"),
        (("-x",), "only the scenarios run before pytest stopped early (stopping after 1 failures)"),
    ],
    ids=["k", "m", "x"],
)
def test_a_check_narrowed_by_pytest_leaves_reports_alone_and_says_what_it_covers(
    project: Path, pytest_args: tuple[str, ...], words: str
) -> None:
    """-k, -m and a run -x stopped write build/policy-report/ with a header naming the narrowing; never reports/."""
    result = check(project, "--snapshot", "all", "--", *pytest_args)
    assert result.returncode in {0, 1}, result.stdout + result.stderr
    assert (project / "reports" / "compliance-report.md").read_text() == "committed\n"
    report = project / "build" / "policy-report"
    assert f"; {words}. A narrowed run: this is not a full report." in (report / "compliance-report.md").read_text()
    scope = json.loads((report / "compliance-report.json").read_text())["scope"]
    assert (scope["selection"], scope["narrowed"]) == ([words.removeprefix("only ")], True)


def test_a_check_of_the_snapshots_in_force_leaves_reports_alone(project: Path) -> None:
    """The committed reports/ is the report of every snapshot; a run of those in force writes build/policy-report/."""
    result = check(project)
    assert result.returncode in {0, 1}, result.stdout + result.stderr
    assert (project / "reports" / "compliance-report.md").read_text() == "committed\n"
    assert "report written: build/policy-report/compliance-report.md" in result.stdout


def test_a_check_of_every_snapshot_writes_reports(project: Path) -> None:
    """--snapshot all narrows nothing, so the report goes to reports/ as before."""
    result = check(project, "--snapshot", "all")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (project / "reports" / "compliance-report.md").read_text().startswith("# Compliance report\n")
    assert not (project / "build").exists()
