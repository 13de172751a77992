"""A snapshot as a Fides policy: per region group, what the snapshot says a purpose never uses or never touches.

Each rule of the policy matches the privacy declarations the snapshot rules out, as Fides evaluates a policy
(a declaration a rule matches is a violation):

- a purpose the sources state does not apply in a region group: any data category, for its data use;
- a category a rule never uses: that category (and those below it), for the purpose's data use;
- minors a rule excludes: children's data (``user.childrens``), for the purpose's data use.

Only categories and purposes with a Fides key take part. The policy is built and checked by fideslang's own
models (``Policy``, ``PolicyRule``) and written as a Fides manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from policyproof.fides.keys import CHILDREN, category_keys, minors_excluded
from policyproof.snapshot.fides import default_keys

if TYPE_CHECKING:
    from fideslang.models import Policy

    from policyproof.snapshot.model import Snapshot
    from policyproof.snapshot.purposes import Purpose


def _rule(name: str, categories: list[str], use: str) -> dict[str, Any]:
    return {
        "name": name,
        "data_categories": {"matches": "ANY", "values": categories},
        "data_uses": {"matches": "ANY", "values": [use]},
        # Whoever the member is to the platform: every data subject of the default taxonomy.
        "data_subjects": {"matches": "ANY", "values": sorted(default_keys("data_subject"))},
    }


def _rules(snapshot: Snapshot, purpose: Purpose, use: str) -> list[dict[str, Any]]:
    """The rules of one purpose, a region group at a time, in the snapshot's order of groups."""
    tops = category_keys(snapshot, tuple(c.id for c in snapshot.categories if c.parent is None))
    rules = []
    for group in snapshot.region_groups:
        where = f"{purpose.label} in {group.id}"
        at = snapshot.display_path
        not_active = snapshot.not_active_for(purpose.id, group.id)
        if not_active is not None and tops:
            rules.append(_rule(f"{where}: not used ({at}:{not_active.line})", tops, use))
        rule = snapshot.rule_for(purpose.id, group.id)
        if rule is None:
            continue
        if never := category_keys(snapshot, rule.never_uses):
            rules.append(_rule(f"{where}: never uses ({at}:{rule.line})", never, use))
        if minors := minors_excluded(rule.excluded):
            rules.append(_rule(f"{where}: {minors} excluded ({at}:{rule.line})", [CHILDREN], use))
    return rules


def fides_policy(snapshot: Snapshot) -> Policy:
    """The Fides policy of a snapshot, validated by fideslang's ``Policy`` model."""
    from fideslang.models import Policy  # noqa: PLC0415 (pydantic's models load only for this command)

    rules = [rule for p in snapshot.purposes if p.fides is not None for rule in _rules(snapshot, p, p.fides)]
    return Policy.model_validate(
        {
            "fides_key": f"{snapshot.platform}_{snapshot.version.isoformat()}".replace("-", "_"),
            "name": f"{snapshot.id}: what members are told is never used",
            "description": f"{snapshot.title} ({snapshot.display_path}), as policyproof reads it",
            "rules": rules,
        }
    )


def manifest(policy: Policy) -> str:
    """The policy as a Fides manifest (``policy:`` and a list of one), in YAML."""
    data = policy.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump({"policy": [data]}, sort_keys=False, allow_unicode=True, width=120)
