"""Steps that choose what a scenario is checked against: a snapshot or a platform."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.catalogue import step
from policyproof.exceptions import PolicyproofError

if TYPE_CHECKING:
    from policyproof.cases import Case


@step(
    "Given",
    'the policy snapshot "<platform@version>"',
    r'the policy snapshot "(?P<snapshot>[^"]+)"',
    'the policy snapshot "linkedin@2025-11-03"',
)
def pinned_snapshot(case: Case, snapshot: str) -> None:
    """Check this scenario against one snapshot only, whatever the run's scope.

    Without it, a scenario runs against every snapshot in scope (by default, the latest of each
    platform in force today).
    """
    if case.cell.snapshot != snapshot:
        raise PolicyproofError(f"this scenario pins {snapshot} but runs against {case.cell.snapshot}")


@step("Given", 'the platform "<platform>"', r'the platform "(?P<platform>[^"]+)"', 'the platform "LinkedIn"')
def pinned_platform(case: Case, platform: str) -> None:
    """Check this scenario against the snapshots of one platform only, for guarantees about its controls."""
    if case.snapshot.platform != platform.casefold():
        raise PolicyproofError(f"this scenario pins the platform {platform} but runs against {case.cell.snapshot}")
