"""The snapshot model: the category hierarchy, label look-up and region groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from policyproof.exceptions import UnknownNameError
from policyproof.snapshot.regions import group_of, parse_place

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot


@pytest.fixture
def linkedin(linkedin_2025: Snapshot) -> Snapshot:
    """The LinkedIn snapshot of 3 November 2025."""
    return linkedin_2025


def test_lineage_walks_up_to_the_top(linkedin: Snapshot) -> None:
    """A category's lineage is itself, then each ancestor in turn."""
    assert list(linkedin.lineage("public_posts")) == ["public_posts", "content", "member_data"]


def test_falls_under_finds_the_covering_ancestor(linkedin: Snapshot) -> None:
    """A use granted on a category covers its descendants, and only them."""
    assert linkedin.falls_under("group_messages", ["groups_data"]) == "groups_data"
    assert linkedin.falls_under("private_messages", ["content", "profile"]) is None


@pytest.mark.parametrize("label", ["public posts", "Public Posts", "  public   posts ", "posts", "public_posts"])
def test_categories_match_by_label_alias_or_id_in_any_case(linkedin: Snapshot, label: str) -> None:
    """Reviewers may use the label, an alias or the id, in any case and spacing."""
    assert linkedin.find_category(label).id == "public_posts"


def test_unknown_label_names_the_closest_known_ones(linkedin: Snapshot) -> None:
    """An unknown label is an error that suggests the closest labels and lists the known ones."""
    with pytest.raises(UnknownNameError) as caught:
        linkedin.find_category("privat messages")
    message = str(caught.value)
    assert message.startswith("unknown category 'privat messages' in linkedin@2025-11-03; did you mean")
    assert "'private messages'" in message
    assert "; known: 'ad engagement', 'articles'" in message


def test_purposes_and_controls_are_found_by_label(linkedin: Snapshot) -> None:
    """Purposes and controls are looked up like categories."""
    assert linkedin.find_purpose("Generative AI training").id == "genai_training"
    assert linkedin.find_control("use my data for training content creation AI models").id == "genai_setting"


@pytest.mark.parametrize(
    ("place", "group"),
    [
        ("Norway", "EEA"),
        ("NO", "EEA"),
        ("the United Kingdom", "GB"),
        ("Hong Kong", "HK"),
        ("EEA", "EEA"),
        ("Brazil", "ROW"),
        ("United States", "US"),
        ("Switzerland", "CH"),
    ],
)
def test_places_resolve_to_the_snapshot_groups(linkedin: Snapshot, place: str, group: str) -> None:
    """Country names, ISO codes and group ids all resolve to the right region group."""
    resolved = group_of(linkedin, parse_place(place, frozenset(g.id for g in linkedin.region_groups)))
    assert resolved is not None
    assert resolved.id == group


def test_an_unknown_place_suggests_a_country() -> None:
    """A misspelt country is refused with the closest ISO 3166 name."""
    with pytest.raises(UnknownNameError, match=r"unknown place 'Norwy' in ISO 3166 .*did you mean 'Norway'\?"):
        parse_place("Norwy", frozenset({"EEA"}))
