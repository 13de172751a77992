"""Steps that choose what a scenario is checked against: a snapshot or a platform."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees import members
from policyproof.guarantees.catalogue import step

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Cases


@step("Given", 'the policy snapshot "<platform@version>"', 'the policy snapshot "linkedin@2025-11-03"')
def pinned_snapshot(cases: Cases, snapshot: str) -> None:
    """Check this scenario against one snapshot only, whatever the run's scope.

    Without it, a scenario runs against every snapshot in scope (by default, the latest of each
    platform in force today).
    """
    cases.each(members.pin_snapshot, snapshot)


@step("Given", 'the platform "<platform>"', 'the platform "LinkedIn"')
def pinned_platform(cases: Cases, platform: str) -> None:
    """Check this scenario against the snapshots of one platform only, for guarantees about its controls."""
    cases.each(members.pin_platform, platform)
