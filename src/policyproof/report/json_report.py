"""The compliance report as JSON, in the form ``schemas/report.schema.json`` describes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policyproof import __version__
from policyproof.report.baseline import baseline_data
from policyproof.report.changes import changes_data
from policyproof.report.status import STATUSES

if TYPE_CHECKING:
    from collections import Counter

    from policyproof.report.results import Detail, Report, Section
    from policyproof.report.status import Status
    from policyproof.report.waivers import Waiver


def _counts(counter: Counter[Status]) -> dict[str, int]:
    return {status.value: counter.get(status, 0) for status in STATUSES}


def _section(section: Section) -> dict[str, Any]:
    snapshot = section.snapshot
    return {
        "id": snapshot.id,
        "platform": snapshot.platform,
        "version": snapshot.version.isoformat(),
        "title": snapshot.title,
        "announced": snapshot.announced.isoformat(),
        "effective": snapshot.effective.isoformat(),
        "supersedes": snapshot.supersedes.isoformat() if snapshot.supersedes else None,
        "file": snapshot.location,
        "sha256": snapshot.sha256,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.isoformat(),
                "address": s.address,
                "quote": s.quote,
            }
            for s in snapshot.sources
        ],
        "regions": [{"id": rid, "label": label} for rid, label in section.regions],
        "guarantees": [
            {
                "id": row.guarantee,
                "title": row.title,
                "severity": row.severity,
                "cells": {
                    rid: (status.value if status else None)
                    for (rid, _), status in zip(section.regions, row.cells, strict=True)
                },
            }
            for row in section.rows
        ],
        "counts": {rid: _counts(count) for (rid, _), count in zip(section.regions, section.counts, strict=True)},
        "overall": _counts(section.overall),
    }


def _detail(detail: Detail) -> dict[str, Any]:
    record, finding = detail.record, detail.record.finding
    return {
        "guarantee": record.guarantee,
        "title": record.title,
        "scenario": record.scenario,
        "severity": record.severity,
        "feature": record.feature,
        "snapshot": record.snapshot,
        "region": record.region,
        "status": record.status.value,
        "expected": finding.expected,
        "decided": finding.decided,
        "reason": finding.reason,
        "explanation": finding.explanation,
        "rule": finding.rule_location,
        "sources": [
            {"id": s.id, "publisher": s.publisher, "date": s.date.isoformat(), "quote": s.quote} for s in detail.sources
        ],
        "waiver": {"waiver": record.waiver, "justification": record.justification} if record.waiver else None,
        "note": record.note or None,
        "baseline": record.baseline or None,
    }


def _waiver(waiver: Waiver) -> dict[str, Any]:
    return {
        "guarantee": waiver.guarantee,
        "snapshots": list(waiver.snapshots),
        "regions": list(waiver.regions),
        "owner": waiver.owner,
        "expires": waiver.expires.isoformat(),
        "justification": waiver.justification,
        "location": waiver.location,
    }


def report_data(report: Report) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "tool": {"name": "policyproof", "version": __version__},
        "as_of": report.as_of.isoformat(),
        "totals": _counts(report.totals),
        "blocking_failures": report.blocking_failures,
        "snapshots": [_section(section) for section in report.sections],
        "details": [_detail(detail) for detail in report.details],
        "history": changes_data(report),
        "baseline": baseline_data(report),
        "waivers": {
            "unused": [_waiver(w) for w in report.unused_waivers],
            "expired": [_waiver(w) for w in report.expired_waivers],
        },
    }


def render_json(report: Report) -> str:
    """The report as JSON text: sorted keys, two-space indents, a final newline."""
    return json.dumps(report_data(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
