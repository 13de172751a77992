"""Choosing the two versions to compare: two snapshot ids, or a platform whose latest two versions are taken."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from policyproof.exceptions import UnknownNameError, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policyproof.snapshot.model import Snapshot


def versions_of(snapshots: Sequence[Snapshot], platform: str) -> list[Snapshot]:
    """A platform's snapshots, oldest first."""
    return sorted((s for s in snapshots if s.platform == platform), key=lambda s: s.version)


def consecutive(snapshots: Sequence[Snapshot]) -> list[tuple[Snapshot, Snapshot]]:
    """Each pair of consecutive versions of each platform, oldest first."""
    pairs = []
    for platform in sorted({s.platform for s in snapshots}):
        ordered = versions_of(snapshots, platform)
        pairs += list(itertools.pairwise(ordered))
    return pairs


def _find(snapshots: Sequence[Snapshot], snapshot_id: str) -> Snapshot:
    found = next((s for s in snapshots if s.id == snapshot_id), None)
    if found is None:
        raise UnknownNameError("snapshot", snapshot_id, sorted(s.id for s in snapshots))
    return found


def pick(snapshots: Sequence[Snapshot], names: Sequence[str]) -> tuple[Snapshot, Snapshot]:
    """The old and the new snapshot: ``[ID, ID]`` as given, or ``[PLATFORM]`` for its latest two versions."""
    if len(names) == 2:  # noqa: PLR2004 (two versions to compare)
        old, new = _find(snapshots, names[0]), _find(snapshots, names[1])
        if old.platform != new.platform:
            raise UsageError(f"{old.id} and {new.id} are versions of different platforms; compare one platform's")
        return old, new
    if len(names) != 1:
        raise UsageError("name two snapshots (platform@version platform@version) or one platform")
    name = names[0]
    if "@" in name:
        raise UsageError(f"name a second snapshot to compare {name} with, or the platform alone for its latest two")
    platforms = sorted({s.platform for s in snapshots})
    if name not in platforms:
        raise UnknownNameError("platform", name, platforms)
    ordered = versions_of(snapshots, name)
    if len(ordered) < 2:  # noqa: PLR2004 (two versions to compare)
        raise UsageError(f"{name} has one version ({ordered[0].id}); a diff needs two")
    return ordered[-2], ordered[-1]


def backwards(old: Snapshot, new: Snapshot) -> str | None:
    """A warning when the first version named is the later one: the diff then reads from the later to the earlier."""
    if old.version <= new.version:
        return None
    return (
        f"warning: {old.id} is later than {new.id}, so this shows what changes going back from it; "
        f"for what changed, name the earlier version first: policyproof diff {new.id} {old.id}"
    )
