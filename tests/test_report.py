"""The compliance report: contents cell by cell in every format, escaping, determinism, atomic writes, waivers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).parent.parent
REPORT = ("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "out")
# A waiver of G-BASIS in ROW until 2025-12-31, for the Acme suite.
WAIVER = (Path(__file__).parent / "data" / "waivers" / "basis-outside-europe.yaml").read_text()
# Each guarantee's matrix row, region by region (EU, ROW), with the waiver above.
EXPECTED = {
    "G-ADS-OFF": ("blocking", {"EU": "not-applicable", "ROW": "pass"}),
    "G-BASIS": ("blocking", {"EU": "pass", "ROW": "waived"}),
    "G-OPT-OUT": ("blocking", {"EU": "pass", "ROW": "pass"}),
    "G-CONSENT": ("advisory", {"EU": "fail", "ROW": "fail"}),
}


@pytest.fixture
def suite(acme_suite: pytest.Pytester) -> pytest.Pytester:
    """The Acme project with known outcomes, and a waiver for its one failing blocking cell."""
    (acme_suite.path / "waivers.yaml").write_text(WAIVER)
    return acme_suite


def read(pytester: pytest.Pytester, suffix: str) -> str:
    """One of the report files the run wrote."""
    return (pytester.path / "out" / f"compliance-report.{suffix}").read_text(encoding="utf-8")


def test_a_waived_failure_does_not_fail_the_run(suite: pytest.Pytester) -> None:
    """With its only blocking failure waived, the run passes and says so."""
    result = suite.runpytest(*REPORT, "-v")
    result.stdout.fnmatch_lines(
        [
            "*test_ai_training_has_a_stated_legal_basis?acme@2025-01-01? WAIVED (waived: ROW; pass: EU)*",
            "8 scenario x region cells: 4 pass, 2 fail (2 advisory), 1 not-applicable, 1 waived",
            "*2 passed, 1 waived, 1 advisory failed*",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_json_report_cells_are_as_expected_and_valid_against_the_schema(suite: pytest.Pytester) -> None:
    """The JSON report has each guarantee's outcome per region, the details, and validates against its schema."""
    suite.runpytest(*REPORT)
    data = json.loads(read(suite, "json"))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)
    [snapshot] = data["snapshots"]
    rows = {row["id"]: (row["severity"], row["cells"]) for row in snapshot["guarantees"]}
    assert rows == EXPECTED
    assert snapshot["counts"]["EU"] == {
        "pass": 2,
        "fail": 1,
        "unknown": 0,
        "not-covered": 0,
        "not-applicable": 1,
        "waived": 0,
        "error": 0,
    }
    assert snapshot["counts"]["ROW"] == {
        "pass": 2,
        "fail": 1,
        "unknown": 0,
        "not-covered": 0,
        "not-applicable": 0,
        "waived": 1,
        "error": 0,
    }
    assert data["totals"] == {
        "pass": 4,
        "fail": 2,
        "unknown": 0,
        "not-covered": 0,
        "not-applicable": 1,
        "waived": 1,
        "error": 0,
    }
    assert data["blocking_failures"] == 0
    waived = next(d for d in data["details"] if d["status"] == "waived")
    assert waived["waiver"]["justification"] == "The legal basis outside Europe is being confirmed with counsel."
    assert waived["rule"] == "policy_snapshots/acme@2025-01-01.yaml:58"
    assert waived["sources"] == [
        {"id": "acme-notice", "publisher": "Acme", "date": "2024-11-01", "quote": "We will train models on your posts."}
    ]
    assert [d["status"] for d in data["details"]] == ["waived", "fail", "fail"]


def test_markdown_report_matrix_rows_are_as_expected(suite: pytest.Pytester) -> None:
    """The Markdown matrix has one row a guarantee with the outcome in each region."""
    suite.runpytest(*REPORT)
    text = read(suite, "md")
    symbols = {"pass": "✅ pass", "fail": "❌ fail", "not-applicable": "⚪ n/a", "waived": "⚠️ waived"}
    for guarantee, (severity, cells) in EXPECTED.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{guarantee}`"))
        parts = [part.strip() for part in row.strip("|").split("|")]
        assert parts[2] == severity
        assert parts[3:] == [symbols[cells["EU"]], symbols[cells["ROW"]]]
    assert "- Waiver: G-BASIS in acme@2025-01-01 for ROW, owned by privacy@acme.example, expires 2025-12-31" in text
    assert "- Source `acme-notice` (Acme, 2024-11-01): “We will train models on your posts.”" in text
    assert text.startswith("# Compliance report\n\nAs of 2025-06-01, the report's date.\n")
    assert "- Matrices: 8 guarantee x region cells: 4 pass, 2 fail (2 advisory), 1 not-applicable, 1 waived." in text


class _Cells(HTMLParser):
    """The data-status of each matrix cell, by guarantee and region."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self._row: dict[str, str] | None = None
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tr" and attributes.get("class") == "row":
            self._row = {}
        elif tag == "code" and self._row is not None and not self._row:
            self._in_code = True
        elif tag == "td" and self._row is not None and "data-status" in attributes:
            self._row[attributes["data-region"] or ""] = attributes["data-status"] or ""

    def handle_data(self, data: str) -> None:
        if self._in_code and self._row is not None:
            self.rows[data] = self._row
            self._in_code = False


def test_html_report_matrix_cells_are_as_expected(suite: pytest.Pytester) -> None:
    """The HTML matrix carries each cell's outcome and region for the filters."""
    suite.runpytest(*REPORT)
    parser = _Cells()
    parser.feed(read(suite, "html"))
    assert parser.rows == {guarantee: cells for guarantee, (_, cells) in EXPECTED.items()}


def test_an_expired_waiver_counts_as_not_there_and_says_so(suite: pytest.Pytester) -> None:
    """A waiver past its expiry does not waive; the failure and the report both say it expired."""
    (suite.path / "waivers.yaml").write_text(WAIVER.replace("2025-12-31", "2025-05-31"))
    result = suite.runpytest(*REPORT)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "a waiver expired on 2025-05-31 (waivers.yaml:2), so it no longer applies",
            "expired waiver (counted as not there): G-BASIS in acme@2025-01-01 for ROW, *",
        ]
    )
    data = json.loads(read(suite, "json"))
    assert [w["expires"] for w in data["waivers"]["expired"]] == ["2025-05-31"]
    assert data["blocking_failures"] == 1


def test_a_waiver_that_matches_nothing_is_reported_as_unused(suite: pytest.Pytester) -> None:
    """A waiver for a region where the guarantee holds is listed as unused."""
    (suite.path / "waivers.yaml").write_text(WAIVER + WAIVER.split("\n", 1)[1].replace("[ROW]", "[EU]"))
    result = suite.runpytest(*REPORT)
    result.stdout.fnmatch_lines(["unused waiver (matches no failing cell): G-BASIS in acme@2025-01-01 for EU, *"])
    assert "- Unused (matches no failing cell): G-BASIS in acme@2025-01-01 for EU" in read(suite, "md")


def test_a_malformed_waivers_file_is_an_input_error(suite: pytest.Pytester) -> None:
    """A waiver without an expiry stops the run with the file, line and what is missing."""
    (suite.path / "waivers.yaml").write_text(WAIVER.replace("    expires: 2025-12-31\n", ""))
    result = suite.runpytest(*REPORT)
    result.stderr.fnmatch_lines(
        [
            "ERROR: policyproof: invalid waivers file:",
            "waivers.yaml:2:5: $.waivers[0]: missing required key 'expires'",
        ]
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_hostile_text_is_escaped_in_the_html_and_markdown_reports(suite: pytest.Pytester) -> None:
    """Script tags in a snapshot title, a source quote, a feature title and a scenario name are escaped."""
    path = suite.path / "policy_snapshots" / "acme@2025-01-01.yaml"
    text = path.read_text().replace("title: Acme test policy", 'title: "Acme <script>alert(1)</script>"')
    path.write_text(text.replace("quote: We will train", "quote: <img src=x onerror=alert(2)> We will train"))
    hostile = suite.path / "features" / "ai_training_has_a_legal_basis.feature"
    hostile.write_text(
        hostile.read_text()
        .replace("Feature: AI training has a legal basis", "Feature: <b>bold</b> basis")
        .replace("Scenario: AI training has a stated legal basis", 'Scenario: <script>alert("x")</script> basis')
    )
    suite.runpytest(*REPORT)
    page = read(suite, "html")
    assert len(re.findall(r"<script", page)) == 1  # the report's own filter script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; basis" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<b>bold</b>" not in page
    markdown = read(suite, "md")
    assert "<script>" not in markdown
    assert "\\<script\\>alert(1)\\</script\\>" in markdown


def test_two_runs_write_the_same_bytes(suite: pytest.Pytester) -> None:
    """The same inputs give byte-identical reports; nothing in them depends on the clock."""
    suite.runpytest(*REPORT)
    first = {suffix: read(suite, suffix) for suffix in ("md", "html", "json", "sarif")}
    time.sleep(1.1)
    suite.runpytest(*REPORT)
    assert {suffix: read(suite, suffix) for suffix in ("md", "html", "json", "sarif")} == first


def test_xdist_writes_the_same_report_as_a_serial_run(suite: pytest.Pytester) -> None:
    """Two workers produce byte-identical report files to a serial run."""
    suite.runpytest_subprocess(*REPORT)
    serial = {suffix: read(suite, suffix) for suffix in ("md", "html", "json", "sarif")}
    shutil.rmtree(suite.path / "out")
    suite.runpytest_subprocess(*REPORT, "-p", "xdist", "-n", "2")
    assert {suffix: read(suite, suffix) for suffix in ("md", "html", "json", "sarif")} == serial


def test_the_report_is_appended_to_the_github_step_summary(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where GITHUB_STEP_SUMMARY is set, the Markdown report is appended to it, keeping what was there."""
    summary = suite.path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    suite.runpytest(*REPORT)
    assert summary.read_text() == "earlier step\n" + read(suite, "md")


def test_a_report_folder_on_the_command_line_is_relative_to_where_pytest_starts(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--policy-report given from a subfolder writes there, not under the project root."""
    subfolder = suite.mkdir("sub")
    monkeypatch.chdir(subfolder)
    suite.runpytest("..", "--as-of", "2025-06-01", "-p", "no:cacheprovider", "--policy-report", "here")
    assert (subfolder / "here" / "compliance-report.json").is_file()
    assert not (suite.path / "here").exists()


def test_no_report_is_written_with_no_policy_report(suite: pytest.Pytester) -> None:
    """--no-policy-report runs the guarantees and writes nothing."""
    suite.runpytest("--as-of", "2025-06-01", "-p", "no:cacheprovider", "--no-policy-report")
    assert not (suite.path / "out").exists()
    assert not (suite.path / "reports").exists()


def test_the_committed_report_is_up_to_date(tmp_path: Path) -> None:
    """reports/ holds exactly what `make report` writes for the shipped snapshots and guarantees."""
    result = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", "check", "--snapshot", "all", "--report", str(tmp_path), "--", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in {0, 1}, result.stdout + result.stderr
    for suffix in ("md", "html", "json", "sarif"):
        name = f"compliance-report.{suffix}"
        assert (tmp_path / name).read_text() == (ROOT / "reports" / name).read_text(), (
            f"run `make report`: {name} is out of date"
        )


def test_junit_cases_carry_their_guarantee_scenario_and_cells(suite: pytest.Pytester) -> None:
    """JUnit XML names each case as pytest does and lists its guarantee, scenario, feature line and cells."""
    (suite.path / "waivers.yaml").unlink()
    suite.runpytest(*REPORT, "--junitxml=junit.xml")
    cases = {
        case.get("name"): {prop.get("name"): prop.get("value") for prop in case.iter("property")}
        for case in ET.parse(suite.path / "junit.xml").getroot().iter("testcase")  # noqa: S314 (our own output)
    }
    assert cases["test_ai_training_has_a_stated_legal_basis[acme@2025-01-01]"] == {
        "guarantee": "G-BASIS",
        "scenario": "AI training has a stated legal basis",
        "feature": "features/ai_training_has_a_legal_basis.feature:4",
        "cells": "EU: pass, ROW: fail",
    }
    assert sorted(str(props["guarantee"]) for props in cases.values()) == [
        "G-ADS-OFF",
        "G-BASIS",
        "G-CONSENT",
        "G-OPT-OUT",
    ]
    failures = [child for case in ET.parse(suite.path / "junit.xml").getroot().iter("testcase") for child in case]  # noqa: S314
    [failure] = [child for child in failures if child.tag == "failure"]
    assert "ROW: Expected: AI training has a legal basis." in (failure.text or "")
