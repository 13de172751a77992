"""The compliance report as SARIF 2.1.0, so that code hosts show findings on the snapshot lines they concern.

One result per failing, erroring, waived or unknown cell; its location is the rule's ``file:line`` in the
snapshot (the snapshot file when no rule says anything), its rule the guarantee, its level ``error`` for a
blocking guarantee and ``warning`` for an advisory one. A waived cell is a suppressed result; in baseline mode
each result says whether it is new or unchanged.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policyproof import __version__
from policyproof.outcomes import UNANSWERED, Severity, Status
from policyproof.untrusted import cleaned

if TYPE_CHECKING:
    from policyproof.outcomes import CellRecord
    from policyproof.report.results import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.BLOCKING: "error", Severity.ADVISORY: "warning"}
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


def _location(record: CellRecord, files: dict[str, str]) -> dict[str, Any]:
    where = record.finding.rule_location
    path, _, line = (where or "").rpartition(":")
    if where and path and line.isdigit():
        physical = {"artifactLocation": {"uri": path}, "region": {"startLine": int(line)}}
    else:
        physical = {"artifactLocation": {"uri": files[record.snapshot]}}
    return {"physicalLocation": physical}


def _result(record: CellRecord, index: int, files: dict[str, str], baseline: bool) -> dict[str, Any]:
    finding = record.finding
    text = finding.sentence() if record.status is Status.FAIL else finding.explanation
    result: dict[str, Any] = {
        "ruleId": record.guarantee,
        "ruleIndex": index,
        "level": LEVELS.get(record.severity, "warning"),
        "message": {"text": f"{record.scenario} ({record.snapshot}, {record.region}): {text}"},
        "locations": [_location(record, files)],
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
    # One result a cell: the report merges alike cells of a scenario into one entry, SARIF lists each.
    records = [cell for detail in report.details for cell in detail.cells if cell.status.value in REPORTED]
    rules: dict[str, dict[str, Any]] = {}
    for record in records:
        rules.setdefault(record.guarantee, _rule(record))
    index = {guarantee: i for i, guarantee in enumerate(rules)}
    files = {section.snapshot.id: section.snapshot.location for section in report.sections}
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
                "results": [_result(r, index[r.guarantee], files, baseline) for r in records],
            }
        ],
    }


def render_sarif(report: Report) -> str:
    """The report as SARIF 2.1.0 JSON text: two-space indents, a final newline."""
    return json.dumps(cleaned(sarif_data(report)), indent=2, ensure_ascii=False) + "\n"
