"""The compliance report as SARIF 2.1.0, so that code hosts show findings on the snapshot lines they concern.

One result per failing, erroring, waived, unknown or not covered cell of a snapshot that has not been superseded
by the report's date (a superseded one's only when the run named it with ``--snapshot ID``). Its location is the
snapshot line it rests on: the rule's ``file:line``, or where no rule says anything, the statement of silence or,
failing that, the region group the snapshot leaves unanswered. Its rule is the guarantee; its level ``error`` for
a failing cell of a blocking guarantee, ``warning`` for an advisory one's, ``note`` for a cell the policy leaves
unanswered. A waived cell is a suppressed result; in baseline mode each result says whether it is new or unchanged.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policyproof import __version__
from policyproof.outcomes import UNANSWERED, Severity, Status
from policyproof.report.results import Chosen
from policyproof.untrusted import cleaned

if TYPE_CHECKING:
    from policyproof.outcomes import CellRecord
    from policyproof.report.results import Report, Section

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.BLOCKING: "error", Severity.ADVISORY: "warning"}
# A cell the policy leaves unanswered is a finding about what the platform tells its members, not a broken
# promise: SARIF's least severe failure. (Its kind "open" would oblige level "none", which code hosts show as
# nothing a reviewer acts on.)
UNANSWERED_LEVEL = "note"
REPORTED = frozenset({Status.FAIL.value, Status.ERROR.value, Status.WAIVED.value, *(s.value for s in UNANSWERED)})


def _feature_file(record: CellRecord) -> str:
    """The feature file of a scenario (``features/x.feature:3`` gives ``features/x.feature``)."""
    path, _, line = record.feature.rpartition(":")
    return path if path and line.isdigit() else record.feature


def _rule(record: CellRecord) -> dict[str, Any]:
    feature = _feature_file(record)
    return {
        "id": record.guarantee,
        "shortDescription": {"text": record.title},
        "help": {
            "text": f"The guarantee “{record.title}” is stated in {feature}.",
            "markdown": f"The guarantee “{record.title}” is stated in `{feature}`.",
        },
        "defaultConfiguration": {"level": LEVELS.get(record.severity, "warning")},
        "properties": {"feature": feature, "severity": record.severity},
    }


def _level(record: CellRecord) -> str:
    if record.status in UNANSWERED:
        return UNANSWERED_LEVEL
    return LEVELS.get(record.severity, "warning")


def _location(record: CellRecord, sections: dict[str, Section]) -> dict[str, Any]:
    where = record.finding.rule_location
    path, _, line = (where or "").rpartition(":")
    if not (where and path and line.isdigit()):
        snapshot = sections[record.snapshot].snapshot
        group = next(g for g in snapshot.region_groups if g.id == record.region)
        path, line = snapshot.location, str(group.line)
    return {"physicalLocation": {"artifactLocation": {"uri": path}, "region": {"startLine": int(line)}}}


def reported(report: Report) -> list[CellRecord]:
    """The cells the SARIF log lists, one result each, in the report's order."""
    # Only the snapshots a reader acts on: those not superseded by the report's date, unless the run named one.
    named = set(report.coverage.snapshots) if report.coverage.chosen is Chosen.NAMED else set()
    current = {
        section.snapshot.id
        for section in report.sections
        if section.snapshot.superseded_on(report.as_of) is None or section.snapshot.id in named
    }
    # One result a cell: the report merges alike cells of a scenario into one entry, SARIF lists each.
    return [
        cell
        for detail in report.details
        for cell in detail.cells
        if cell.status.value in REPORTED and cell.snapshot in current
    ]


def _result(record: CellRecord, index: int, sections: dict[str, Section], baseline: bool) -> dict[str, Any]:
    finding = record.finding
    text = finding.sentence() if record.status is Status.FAIL else finding.explanation
    result: dict[str, Any] = {
        "ruleId": record.guarantee,
        "ruleIndex": index,
        "level": _level(record),
        "message": {"text": f"{record.scenario} ({record.snapshot}, {record.region}): {text}"},
        "locations": [_location(record, sections)],
        "partialFingerprints": {
            "policyproofCell/v1": f"{record.snapshot}|{record.guarantee}|{record.scenario}|{record.region}"
        },
        "properties": {
            "snapshot": record.snapshot,
            "region": record.region,
            "scenario": record.scenario,
            "feature": record.feature,
            "status": record.status.value,
        },
    }
    if record.status is Status.WAIVED:
        result["suppressions"] = [{"kind": "external", "justification": f"{record.justification} ({record.waiver})"}]
    if baseline and record.baseline:
        result["baselineState"] = record.baseline
    return result


def sarif_data(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log, as plain data."""
    records = reported(report)
    rules: dict[str, dict[str, Any]] = {}
    for record in records:
        rules.setdefault(record.guarantee, _rule(record))
    index = {guarantee: i for i, guarantee in enumerate(rules)}
    sections = {section.snapshot.id: section for section in report.sections}
    baseline = report.baseline is not None
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policyproof",
                        "version": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(r, index[r.guarantee], sections, baseline) for r in records],
            }
        ],
    }


def render_sarif(report: Report) -> str:
    """The report as SARIF 2.1.0 JSON text: two-space indents, a final newline."""
    return json.dumps(cleaned(sarif_data(report)), indent=2, ensure_ascii=False) + "\n"
