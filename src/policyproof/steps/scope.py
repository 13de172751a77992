"""Steps that choose what a scenario is checked against: a snapshot or a platform."""

from __future__ import annotations

from policyproof.guarantees.cases import Case, Cases
from policyproof.guarantees.catalogue import step


@step("Given", 'the policy snapshot "<platform@version>"', 'the policy snapshot "linkedin@2025-11-03"')
def pinned_snapshot(cases: Cases, snapshot: str) -> None:
    """Check this scenario against one snapshot only, whatever the run's scope.

    Without it, a scenario runs against every snapshot in scope (by default, the latest of each
    platform in force today).
    """
    cases.each(Case.pin_snapshot, snapshot)


@step("Given", 'the platform "<platform>"', 'the platform "LinkedIn"')
def pinned_platform(cases: Cases, platform: str) -> None:
    """Check this scenario against the snapshots of one platform only, for guarantees about its controls."""
    cases.each(Case.pin_platform, platform)
