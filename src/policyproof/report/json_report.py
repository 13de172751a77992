"""The compliance report as JSON, in the form ``schemas/report.schema.json`` describes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policyproof import __version__
from policyproof.outcomes import STATUSES
from policyproof.report.baseline import baseline_data
from policyproof.report.changes import changes_data
from policyproof.report.evidence import evidence_data
from policyproof.untrusted import cleaned

if TYPE_CHECKING:
    from collections import Counter

    from policyproof.outcomes import Status
    from policyproof.report.details import Detail, Dispute
    from policyproof.report.results import Report, Section
    from policyproof.report.waivers import Waiver
    from policyproof.snapshot.model import Source


def _counts(counter: Counter[Status]) -> dict[str, int]:
    return {status.value: counter.get(status, 0) for status in STATUSES}


def _cited(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "publisher": source.publisher,
        "date": source.date.isoformat() if source.date else None,
        "quote": source.quote,
    }


def _dispute(dispute: Dispute) -> dict[str, Any]:
    return {
        "about": dispute.about,
        "sources": [_cited(source) for source in dispute.sources],
        "resolution": dispute.resolution,
    }


def _section(section: Section) -> dict[str, Any]:
    snapshot, successor = section.snapshot, section.successor
    checked = [rid for (rid, _), is_checked in zip(section.regions, section.checked, strict=True) if is_checked]
    return {
        "id": snapshot.id,
        "platform": snapshot.platform,
        "version": snapshot.version.isoformat(),
        "title": snapshot.title,
        "announced": snapshot.announced.isoformat(),
        "effective": snapshot.effective.isoformat(),
        "supersedes": snapshot.supersedes.isoformat() if snapshot.supersedes else None,
        "superseded_by": {"id": successor.id, "on": successor.effective.isoformat()} if successor else None,
        "in_force": section.in_force,
        "file": snapshot.location,
        "sha256": snapshot.sha256,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.isoformat() if s.date else None,
                "address": s.address,
                "quote": s.quote,
            }
            for s in snapshot.sources
        ],
        "regions": [
            {"id": rid, "label": label, "checked": is_checked}
            for (rid, label), is_checked in zip(section.regions, section.checked, strict=True)
        ],
        "guarantees": [
            {
                "id": row.guarantee,
                "title": row.title,
                "severity": row.severity,
                "cells": {
                    rid: (status.value if status else None)
                    for (rid, _), status in zip(section.regions, row.cells, strict=True)
                    if rid in checked
                },
                "outcomes": {
                    rid: {status.value: count for status, count in outcomes}
                    for (rid, _), outcomes in zip(section.regions, row.outcomes, strict=True)
                    if rid in checked and outcomes
                },
            }
            for row in section.rows
        ],
        "counts": {
            rid: _counts(count)
            for (rid, _), count in zip(section.regions, section.counts, strict=True)
            if rid in checked
        },
        "overall": _counts(section.matrix.outcomes),
        "blocking_failures": section.matrix.blocking,
        "scenario_overall": _counts(section.scenarios.outcomes),
        "scenario_blocking_failures": section.scenarios.blocking,
        "silences": [
            {
                "region": silence.region,
                "point": silence.point,
                "note": silence.note,
                "documents": [_cited(source) for source in silence.documents],
                "location": silence.location,
            }
            for silence in section.silences
        ],
        "disagreements": [
            {"purpose": rule.purpose, "regions": list(rule.regions), "rule": rule.location, **_dispute(dispute)}
            for rule in section.disputes
            for dispute in rule.disputes
        ],
    }


def _detail(detail: Detail) -> dict[str, Any]:
    record, finding = detail.record, detail.finding
    return {
        "guarantee": record.guarantee,
        "title": record.title,
        "scenario": record.scenario,
        "severity": record.severity,
        "feature": record.feature,
        "snapshot": record.snapshot,
        "regions": list(detail.region_ids),
        "status": record.status.value,
        "expected": finding.expected,
        "decided": finding.decided,
        "reason": finding.reason,
        "explanation": finding.explanation,
        "rule": finding.rule_location,
        "sources": [_cited(s) for s in detail.sources],
        "documents": [_cited(s) for s in detail.documents],
        "recipients": list(detail.rule.recipients) if detail.rule else None,
        "disagreements": [_dispute(dispute) for dispute in detail.disputes],
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
    """The report as plain data; ``evidence`` only where the run was given an evidence audit."""
    evidence = {"evidence": evidence_data(report)} if report.evidence else {}
    return evidence | {
        "tool": {"name": "policyproof", "version": __version__},
        "as_of": report.as_of.isoformat(),
        "scope": {
            "snapshots": list(report.coverage.snapshots),
            "chosen": report.coverage.chosen.value,
            "regions": list(report.coverage.regions),
            "selection": list(report.coverage.selection),
            "narrowed": report.coverage.narrowed,
        },
        "in_force": list(report.in_force),
        "totals": _counts(report.totals.outcomes),
        "blocking_failures": report.blocking_failures,
        "scenario_totals": _counts(report.scenarios.outcomes),
        "scenario_blocking_failures": report.scenarios.blocking,
        "snapshots": [_section(section) for section in report.sections],
        "details": [_detail(detail) for detail in report.details],
        "history": changes_data(report),
        "baseline": baseline_data(report),
        "waivers": {
            "file": report.waivers_file,
            "unused": [_waiver(w) for w in report.unused_waivers],
            "expired": [_waiver(w) for w in report.expired_waivers],
        },
    }


def render_json(report: Report) -> str:
    """The report as JSON text: sorted keys, two-space indents, a final newline."""
    return json.dumps(cleaned(report_data(report)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
