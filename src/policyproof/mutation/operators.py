"""The mutation operators: each derives, from a snapshot's data, copies that break one promise on purpose.

An operator reads the built snapshot (to know what is stated) and changes a deep copy of the data it was
built from, so that every mutant is validated and built exactly as a snapshot file is. Operators are
defined once, in :data:`OPERATORS`; ``policyproof mutate --operator`` and the docs take their names from it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyproof.snapshot.territories import EEA

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Rule
    from policyproof.snapshot.yaml_loader import JsonPath

Data = dict[str, Any]
LOWERED_BY = 2  # years the age limit is lowered by: a 17-year-old is then no longer excluded from an 18 limit


@dataclass(frozen=True, slots=True)
class Change:
    """One deliberate breach: the changed data, what it breaks in a sentence, where, and at which value."""

    sentence: str
    regions: tuple[str, ...]
    data: Data
    at: JsonPath


@dataclass(frozen=True, slots=True)
class Operator:
    """A kind of breach, named for the command line and explained in a sentence."""

    name: str
    summary: str
    derive: Callable[[Snapshot, Data], Iterator[Change]]


def _rule_path(rule: Rule, snapshot: Snapshot) -> JsonPath:
    index = next(i for i, p in enumerate(snapshot.purposes) if p.id == rule.purpose)
    return ("purposes", index, "rules", rule.index)


def _rules(snapshot: Snapshot) -> Iterator[tuple[Rule, str]]:
    for purpose in snapshot.purposes:
        for rule in purpose.rules:
            yield rule, purpose.label


def _changed(data: Data, at: JsonPath) -> tuple[Data, Data]:
    """A deep copy of the data and the mapping at ``at`` in it, to change."""
    changed = copy.deepcopy(data)
    node: Any = changed
    for key in at:
        node = node[key]
    return changed, node


def _where(rule: Rule) -> str:
    return ", ".join(rule.regions)


def _private_first(category: str) -> tuple[int, str]:
    return (0 if category == "private_messages" else 1, "")


def never_used_to_used(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """Each category a rule never uses, moved into its uses (private messages first)."""
    return _never_used_taken(snapshot, data, "{name} are used for {label} in {where} instead of never being used")


def never_used_dropped(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """Each category a rule never uses, dropped from its never-used list."""
    sentence = "the policy no longer states that {name} are never used for {label} in {where}"
    return _never_used_taken(snapshot, data, sentence, used=False)


def _never_used_taken(snapshot: Snapshot, data: Data, sentence: str, *, used: bool = True) -> Iterator[Change]:
    """Each category a rule never uses, taken off its never-used list and, if ``used``, put among its uses."""
    for rule, label in _rules(snapshot):
        for category in sorted(rule.never_uses, key=_private_first):
            changed, node = _changed(data, _rule_path(rule, snapshot))
            node["never_uses"].remove(category)
            if used:
                node["uses"].append(category)
            said = sentence.format(name=snapshot.category(category).label, label=label, where=_where(rule))
            yield Change(said, rule.regions, changed, (*_rule_path(rule, snapshot), "never_uses"))


def age_limit_dropped(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A stated age limit removed."""
    for rule, label in _rules(snapshot):
        if rule.excluded.age_below is not None:
            changed, node = _changed(data, (*_rule_path(rule, snapshot), "excluded_members"))
            del node["age_below"]
            sentence = f"members under {rule.excluded.age_below} are no longer excluded from {label} in {_where(rule)}"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "excluded_members"))


def age_limit_lowered(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A stated age limit lowered by two years."""
    for rule, label in _rules(snapshot):
        limit = rule.excluded.age_below
        if limit is not None and limit > LOWERED_BY:
            changed, node = _changed(data, (*_rule_path(rule, snapshot), "excluded_members"))
            node["age_below"] = limit - LOWERED_BY
            sentence = f"the age limit for {label} in {_where(rule)} is lowered from {limit} to {limit - LOWERED_BY}"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "excluded_members"))


def under_18_exclusion_dropped(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A stated exclusion of members believed to be under 18 turned into a statement that they are not excluded."""
    for rule, label in _rules(snapshot):
        if rule.excluded.believed_under_18:
            changed, node = _changed(data, (*_rule_path(rule, snapshot), "excluded_members"))
            node["believed_under_18"] = False
            sentence = f"members believed to be under 18 are used for {label} in {_where(rule)}"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "excluded_members"))


def control_removed(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A rule's controls removed for one of its region groups (the rule split in two)."""
    for rule, label in _rules(snapshot):
        if not rule.controls:
            continue
        for region in rule.regions:
            path = _rule_path(rule, snapshot)
            changed, node = _changed(data, path)
            if len(rule.regions) == 1:
                node["controls"] = []
            else:
                split = copy.deepcopy(node)
                split["regions"], split["controls"] = [region], []
                node["regions"] = [r for r in node["regions"] if r != region]
                changed["purposes"][path[1]]["rules"].append(split)
            sentence = f"no control turns {label} off in {region}"
            yield Change(sentence, (region,), changed, (*path, "controls"))


def default_on(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A rule that is off by default (opt-in) turned on by default (opt-out)."""
    for rule, label in _rules(snapshot):
        if not rule.default_on:
            changed, node = _changed(data, _rule_path(rule, snapshot))
            node["default"] = "on"
            sentence = f"{label} is on by default in {_where(rule)}, where members had to turn it on"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "default"))


def active_earlier(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A use this version starts made active from the day before the version takes effect."""
    earlier = snapshot.effective - dt.timedelta(days=1)
    for rule, label in _rules(snapshot):
        if rule.active_from >= snapshot.effective:
            changed, node = _changed(data, _rule_path(rule, snapshot))
            node["active_from"] = earlier.isoformat()
            sentence = f"{label} is active in {_where(rule)} from {earlier.isoformat()}, before the policy takes effect"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "active_from"))


def country_moved(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """For each region group where a purpose has no rule, its first country moved into a group where it is active.

    A country of GDPR territory cannot leave the EEA group, so such a mutant is discarded as invalid.
    """
    groups = {g.id: index for index, g in enumerate(snapshot.region_groups)}
    for purpose in snapshot.purposes:
        active = [r for rule in purpose.rules for r in rule.regions]
        into = next((g for g in active if not snapshot.group(g).rest_of_world), None)
        for group in snapshot.region_groups:
            if group.id in active or group.rest_of_world or not group.countries:
                continue
            listed = data["region_groups"][groups[group.id]]["countries"]
            country = next((c for c in listed if c not in EEA), listed[0])
            changed = copy.deepcopy(data)
            changed["region_groups"][groups[group.id]]["countries"].remove(country)
            if into is not None:
                changed["region_groups"][groups[into]]["countries"].append(country)
            target = into or "the rest of the world"
            sentence = f"{country} is moved from {group.id} into {target}, where {purpose.label} is active"
            yield Change(sentence, (group.id,), changed, ("region_groups", groups[group.id], "countries"))


def opt_out_ineffective(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A rule's controls replaced by a new, unrelated one, so turning off the stated control does nothing."""
    for rule, label in _rules(snapshot):
        if not rule.controls:
            continue
        changed, node = _changed(data, _rule_path(rule, snapshot))
        control_id = f"{rule.purpose}_unrelated_control"
        changed["controls"].append(
            {
                "id": control_id,
                "kind": "setting",
                "label": f"Unrelated setting for {label}",
                "sources": list(rule.sources[:1]),
            }
        )
        node["controls"] = [control_id]
        names = " or ".join(f"'{snapshot.control(c).label}'" for c in rule.controls)
        sentence = f"turning off {names} no longer stops {label} in {_where(rule)}"
        yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "controls"))


def opt_out_not_retroactive(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A retroactive opt-out made prospective: data already used stays used."""
    for rule, label in _rules(snapshot):
        if rule.retroactive:
            changed, node = _changed(data, _rule_path(rule, snapshot))
            node["opt_out_effect"] = "prospective"
            sentence = f"opting out of {label} in {_where(rule)} no longer removes data already used"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "opt_out_effect"))


def legal_basis_removed(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A stated legal basis removed."""
    for rule, label in _rules(snapshot):
        if rule.legal_basis is not None:
            changed, node = _changed(data, _rule_path(rule, snapshot))
            del node["legal_basis"]
            sentence = f"{label} in {_where(rule)} no longer has a stated legal basis ({rule.legal_basis})"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "legal_basis"))


def announced_later(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """The announcement moved to the day before the policy takes effect."""
    later = snapshot.effective - dt.timedelta(days=1)
    if snapshot.announced < later:
        changed = copy.deepcopy(data)
        changed["announced"] = later.isoformat()
        sentence = f"the policy is announced on {later.isoformat()}, a day before it takes effect"
        regions = tuple(g.id for g in snapshot.region_groups)
        yield Change(sentence, regions, changed, ("announced",))


def source_removed(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """Each rule's first source citation removed (a rule citing one source then cites none, which is invalid)."""
    for rule, label in _rules(snapshot):
        changed, node = _changed(data, _rule_path(rule, snapshot))
        node["sources"] = node["sources"][1:]
        sentence = f"the rule for {label} in {_where(rule)} no longer cites {rule.sources[0]}"
        yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "sources"))


def statement_silenced(snapshot: Snapshot, data: Data) -> Iterator[Change]:
    """A stated exclusion removed so the policy no longer says: where a purpose is not active, who is excluded."""
    for p_index, purpose in enumerate(snapshot.purposes):
        for n_index, entry in enumerate(purpose.not_active):
            changed, node = _changed(data, ("purposes", p_index))
            del node["not_active_in"][n_index]
            if not node["not_active_in"]:
                del node["not_active_in"]
            where = ", ".join(entry.regions)
            sentence = f"the policy no longer says that {purpose.label} does not apply in {where}"
            yield Change(sentence, entry.regions, changed, ("purposes", p_index, "not_active_in", n_index))
    for rule, label in _rules(snapshot):
        stated = {"age_below": rule.excluded.age_below, "believed_under_18": rule.excluded.believed_under_18}
        for key, value in stated.items():
            if value is None:
                continue
            changed, node = _changed(data, (*_rule_path(rule, snapshot), "excluded_members"))
            del node[key]
            what = f"members under {value}" if key == "age_below" else "members believed to be under 18"
            sentence = f"the policy no longer says whether {what} are excluded from {label} in {_where(rule)}"
            yield Change(sentence, rule.regions, changed, (*_rule_path(rule, snapshot), "excluded_members"))


OPERATORS: tuple[Operator, ...] = (
    Operator("never-used-to-used", "a never-used category moved into used", never_used_to_used),
    Operator("never-used-dropped", "a never-used entry dropped", never_used_dropped),
    Operator("age-limit-dropped", "the age exclusion dropped", age_limit_dropped),
    Operator("age-limit-lowered", "the age exclusion lowered", age_limit_lowered),
    Operator("under-18-exclusion-dropped", "the believed-under-18 exclusion dropped", under_18_exclusion_dropped),
    Operator("control-removed", "a control removed for one region group", control_removed),
    Operator("default-on", "a default flipped from off to on", default_on),
    Operator("active-earlier", "a purpose made active before its effective date", active_earlier),
    Operator("country-moved", "a country moved into a group where the purpose is active", country_moved),
    Operator("opt-out-ineffective", "opting out made ineffective", opt_out_ineffective),
    Operator("opt-out-not-retroactive", "opting out no longer retroactive", opt_out_not_retroactive),
    Operator("legal-basis-removed", "a legal basis removed", legal_basis_removed),
    Operator("announced-later", "the announcement moved closer to the effective date", announced_later),
    Operator("source-removed", "a source citation removed", source_removed),
    Operator("statement-silenced", "a stated exclusion removed, so the policy no longer says", statement_silenced),
)
NAMES = tuple(operator.name for operator in OPERATORS)
