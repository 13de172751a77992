"""Places as reviewers write them ("Norway", "the United Kingdom", "NO", "EEA") mapped to region groups.

Country names come from ISO 3166 (pycountry), not from a table of our own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pycountry

from policyproof.exceptions import UnknownNameError

if TYPE_CHECKING:
    from policyproof.snapshot.model import RegionGroup, Snapshot


@dataclass(frozen=True, slots=True)
class Place:
    """What a reviewer named: a country (ISO 3166-1 alpha-2) or a region group id."""

    text: str
    country: str | None
    group: str | None


def parse_place(text: str, group_ids: frozenset[str]) -> Place:
    """Read a place: a known group id or label first, then an ISO 3166 country code or name."""
    cleaned = text.strip().strip('"').strip()
    bare = cleaned[4:] if cleaned.lower().startswith("the ") else cleaned
    if bare in group_ids:
        return Place(text, None, bare)
    try:
        country = pycountry.countries.lookup(bare)
    except LookupError:
        known = [*sorted(group_ids), *(str(c.name) for c in pycountry.countries)]
        where = "ISO 3166 country names and codes or the region groups " + ", ".join(sorted(group_ids))
        raise UnknownNameError("place", text, known, where, listed=False) from None
    return Place(text, str(country.alpha_2), None)


def group_of(snapshot: Snapshot, place: Place) -> RegionGroup | None:
    """The snapshot's group for a place, or None when the snapshot does not cover it."""
    if place.group is not None:
        return next((g for g in snapshot.region_groups if g.id == place.group), None)
    assert place.country is not None  # noqa: S101 (a Place holds a country or a group)
    return snapshot.group_of_country(place.country)


def country_name(code: str) -> str:
    """The ISO 3166 short name of a country code."""
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code
