"""Small generated evidence on the edges of the test policy, and decide()'s verdict on each of its uses."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policyproof.audit.engines import DuckDB
from policyproof.audit.evidence import STATES
from policyproof.audit.policy import Policy
from policyproof.audit.reference import Change, Person, judge
from policyproof.audit.sql import Rows
from policyproof.snapshot.loader import load_snapshots

if TYPE_CHECKING:
    from policyproof.audit.sql import Value

POLICY_DIR = Path(__file__).parent / "data" / "audit" / "policy_snapshots"
COUNTRIES = ("DE", "FR", "US", "JP", "BR")
CONTROLS = ("ai_setting", "ai_form", "ads_setting", "ads_gpc", "ai_consent")
CATEGORIES = ("member_data", "posts", "comments", "messages", "location")
PURPOSES = ("ai_training", "ads")
# The dates the test policy turns on: the first version's effective date and the day before, the second's,
# the European rule's start, the rest of the world's end, and dates between.
KEY_DATES = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2024-01-10",
        "2024-05-31",
        "2024-06-01",
        "2024-12-31",
        "2025-01-01",
        "2025-01-14",
        "2025-01-15",
        "2025-03-01",
        "2025-06-30",
        "2025-07-01",
        "2025-09-01",
    )
)
TIMES = (dt.time(0, 0), dt.time(9, 30), dt.time(23, 59, 59))


def policies() -> dict[str, Policy]:
    """The test policy four ways: by version in force, by its second version, by its first, alone or among its versions.

    ``platform`` judges each use by the version in force on its date, ``snapshot`` by the second version
    alone, ``superseded`` by the first alone (uses from the second's effective date on are not in force),
    ``older`` by the first with the evidence naming the second's ids too (``audit --snapshot`` of the first).
    """
    snapshots = load_snapshots([POLICY_DIR])
    return {
        "platform": Policy(tuple(snapshots)),
        "snapshot": Policy((snapshots[1],)),
        "superseded": Policy((snapshots[0],)),
        "older": Policy((snapshots[0],), (snapshots[1],)),
    }


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# Named edges, judged by version in force: (case, country, birth date, believed since, settings, category,
# purpose, used_at, expected status, expected reason).
Edge = tuple[str, str, str | None, str | None, tuple[tuple[str, str, str], ...], str, str, str, str, str]
EDGES: tuple[Edge, ...] = (
    ("at the opt-out instant", "US", None, None, (("ai_setting", "off", "2024-09-01 10:00"),),
     "posts", "ai_training", "2024-09-01 10:00", "breach", "opted-out"),
    ("a second before the opt-out", "US", None, None, (("ai_setting", "off", "2024-09-01 10:00"),),
     "posts", "ai_training", "2024-09-01 09:59:59", "allowed", "used"),
    ("on the 18th birthday", "JP", "2007-03-01", None, (), "posts", "ai_training", "2025-03-01 00:00",
     "allowed", "used"),
    ("the day before the 18th birthday", "JP", "2007-03-01", None, (), "posts", "ai_training",
     "2025-02-28 23:59:59", "breach", "excluded-member"),
    ("on the rule's first day", "DE", "1980-01-01", None, (), "posts", "ai_training", "2025-01-15 00:00",
     "breach", "no-consent"),
    ("the day before the rule's first day", "DE", "1980-01-01", None, (), "posts", "ai_training",
     "2025-01-14 23:59:59", "breach", "not-active"),
    ("on the second version's effective date", "DE", None, None, (), "posts", "ads", "2025-01-01 00:00",
     "breach", "not-active"),
    ("the day before the second version", "DE", None, None, (), "posts", "ads", "2024-12-31 23:59:59",
     "unknown", "not-stated"),
    ("after off, on and off again", "US", None, None,
     (("ads_setting", "off", "2024-07-01 08:00"), ("ads_setting", "on", "2024-08-01 08:00"),
      ("ads_setting", "off", "2024-09-01 08:00")),
     "location", "ads", "2024-09-15 12:00", "breach", "opted-out"),
    ("between on and the last off", "US", None, None,
     (("ads_setting", "off", "2024-07-01 08:00"), ("ads_setting", "on", "2024-08-01 08:00"),
      ("ads_setting", "off", "2024-09-01 08:00")),
     "location", "ads", "2024-08-15 12:00", "unknown", "not-stated"),
    ("believed under 18 from that instant", "US", None, "2024-08-01 00:00", (), "posts", "ai_training",
     "2024-08-01 00:00", "breach", "excluded-member"),
    ("before believed under 18", "US", None, "2024-08-01 00:00", (), "posts", "ai_training",
     "2024-07-31 23:59:59", "allowed", "used"),
    ("before the first version", "US", None, None, (), "posts", "ai_training", "2024-01-10 12:00",
     "breach", "not-active"),
    ("a member not in members", "", None, None, (), "posts", "ai_training", "2024-09-01 12:00",
     "unmatched", "unmatched"),
)  # fmt: skip


# Named edges where the policy leaves one question open and another settles the answer: a definite answer
# outranks what the policy does not say.
DEFINITE_FIRST: tuple[Edge, ...] = (
    ("a category the rule does not state", "US", None, None, (), "location", "ai_training", "2024-09-02 10:00",
     "unknown", "not-stated"),
    ("opted out, of a category the rule does not state", "US", None, None,
     (("ai_setting", "off", "2024-09-01 10:00"),), "location", "ai_training", "2024-09-02 10:00",
     "breach", "opted-out"),
    ("a minor the rule says nothing of", "JP", "2010-01-01", None, (), "location", "ads", "2024-09-02 10:00",
     "unknown", "not-stated"),
    ("a minor the rule says nothing of, who opted out", "JP", "2010-01-01", None,
     (("ads_setting", "off", "2024-09-01 10:00"),), "location", "ads", "2024-09-02 10:00",
     "breach", "opted-out"),
    ("opted out later, the effect not stated", "JP", None, None,
     (("ads_setting", "off", "2024-09-03 10:00"),), "location", "ads", "2024-09-02 10:00",
     "unknown", "not-stated"),
)  # fmt: skip


# Named edges of what a row of settings means for each kind of control: a setting is turned off or on, a signal
# (Global Privacy Control) sent or stopped, a form filed or withdrawn, consent given or withdrawn; consent
# withdrawn after being given, for a purpose off by default, is named as such. A signal or an objection stands on
# its own until it is stopped or withdrawn, whatever the member does with the purpose's other controls, and
# stopping or withdrawing it lifts that objection only: it turns nothing on, and under a purpose off by default it
# gives no consent (raising it there withdrew any consent given).
KINDS: tuple[Edge, ...] = (
    ("a privacy signal sent", "US", "1980-01-01", None, (("ads_gpc", "sent", "2025-02-01 10:00"),),
     "location", "ads", "2025-03-01 10:00", "breach", "opted-out"),
    ("a privacy signal sent, then stopped", "US", "1980-01-01", None,
     (("ads_gpc", "sent", "2025-02-01 10:00"), ("ads_gpc", "stopped", "2025-02-15 10:00")),
     "location", "ads", "2025-03-01 10:00", "allowed", "used"),
    ("a signal sent as the setting is turned on, at one instant", "US", "1980-01-01", None,
     (("ads_gpc", "sent", "2025-02-01 10:00"), ("ads_setting", "on", "2025-02-01 10:00")),
     "location", "ads", "2025-02-01 10:00", "breach", "opted-out"),
    ("an objection form filed", "US", "1980-01-01", None, (("ai_form", "filed", "2025-02-01 10:00"),),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "opted-out"),
    ("an objection form filed, then withdrawn", "US", "1980-01-01", None,
     (("ai_form", "filed", "2025-02-01 10:00"), ("ai_form", "withdrawn", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "allowed", "used"),
    ("consent given", "DE", "1980-01-01", None, (("ai_consent", "given", "2025-02-01 10:00"),),
     "posts", "ai_training", "2025-03-01 10:00", "allowed", "used"),
    ("consent given, then withdrawn", "DE", "1980-01-01", None,
     (("ai_consent", "given", "2025-02-01 10:00"), ("ai_consent", "withdrawn", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "consent-withdrawn"),
    ("consent given by the setting, withdrawn at the prompt", "DE", "1980-01-01", None,
     (("ai_setting", "on", "2025-02-01 10:00"), ("ai_consent", "withdrawn", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "consent-withdrawn"),
    ("consent withdrawn, never given", "DE", "1980-01-01", None, (("ai_consent", "withdrawn", "2025-02-10 10:00"),),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "opted-out"),
    ("a setting turned off and on again, off by default", "DE", "1980-01-01", None,
     (("ai_setting", "off", "2025-02-01 10:00"), ("ai_setting", "on", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "allowed", "used"),
    ("a setting turned off, on by default", "US", "1980-01-01", None, (("ads_setting", "off", "2025-02-01 10:00"),),
     "location", "ads", "2025-03-01 10:00", "breach", "opted-out"),
    ("an objection withdrawn, never filed, off by default", "DE", "1980-01-01", None,
     (("ai_form", "withdrawn", "2025-02-01 10:00"),), "posts", "ai_training", "2025-03-01 10:00",
     "breach", "no-consent"),
    ("an objection filed, then withdrawn, off by default", "DE", "1980-01-01", None,
     (("ai_form", "filed", "2025-02-01 10:00"), ("ai_form", "withdrawn", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "opted-out"),
    ("consent given, an objection filed, then withdrawn", "DE", "1980-01-01", None,
     (("ai_consent", "given", "2025-02-01 10:00"), ("ai_form", "filed", "2025-02-05 10:00"),
      ("ai_form", "withdrawn", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "consent-withdrawn"),
    ("an objection filed, then consent given while it stands", "DE", "1980-01-01", None,
     (("ai_form", "filed", "2025-02-01 10:00"), ("ai_consent", "given", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "consent-withdrawn"),
    ("an objection filed and withdrawn, then consent given", "DE", "1980-01-01", None,
     (("ai_form", "filed", "2025-02-01 10:00"), ("ai_form", "withdrawn", "2025-02-05 10:00"),
      ("ai_consent", "given", "2025-02-10 10:00")),
     "posts", "ai_training", "2025-03-01 10:00", "allowed", "used"),
    ("a signal sent, then the setting turned on while it is sent", "US", "1980-01-01", None,
     (("ads_gpc", "sent", "2025-02-01 10:00"), ("ads_setting", "on", "2025-02-10 10:00")),
     "location", "ads", "2025-03-01 10:00", "breach", "opted-out"),
    ("a setting turned off, then a signal stopped", "US", "1980-01-01", None,
     (("ads_gpc", "sent", "2025-01-20 10:00"), ("ads_setting", "off", "2025-02-01 10:00"),
      ("ads_gpc", "stopped", "2025-02-10 10:00")),
     "location", "ads", "2025-03-01 10:00", "breach", "opted-out"),
    ("a signal stopped that was never sent, the setting off", "US", "1980-01-01", None,
     (("ads_setting", "off", "2025-02-01 10:00"), ("ads_gpc", "stopped", "2025-02-10 10:00")),
     "location", "ads", "2025-03-01 10:00", "breach", "opted-out"),
    ("a signal sent and stopped, the setting turned on between", "US", "1980-01-01", None,
     (("ads_gpc", "sent", "2025-02-01 10:00"), ("ads_setting", "on", "2025-02-05 10:00"),
      ("ads_gpc", "stopped", "2025-02-10 10:00")),
     "location", "ads", "2025-03-01 10:00", "allowed", "used"),
    ("a signal sent twice, stopped once", "US", "1980-01-01", None,
     (("ads_gpc", "sent", "2025-02-01 10:00"), ("ads_gpc", "sent", "2025-02-05 10:00"),
      ("ads_gpc", "stopped", "2025-02-10 10:00")),
     "location", "ads", "2025-03-01 10:00", "allowed", "used"),
)  # fmt: skip

# Named edges of an opt-out after a use: where the rule makes opting out retroactive, an allowed use's data is
# to be removed (its own outcome, not a breach), as is one the policy left open when it was made; a use that was a
# breach when it was made stays one.
TO_REMOVE: tuple[Edge, ...] = (
    ("used before a retroactive opt-out", "US", "1980-01-01", None, (("ai_setting", "off", "2025-03-01 10:00"),),
     "posts", "ai_training", "2025-02-01 10:00", "to_remove", "to-remove"),
    ("used before a retroactive objection", "US", "1980-01-01", None, (("ai_form", "filed", "2025-03-01 10:00"),),
     "posts", "ai_training", "2025-02-01 10:00", "to_remove", "to-remove"),
    ("used before a retroactive objection that stands past a setting turned on", "US", "1980-01-01", None,
     (("ai_form", "filed", "2025-03-01 10:00"), ("ai_setting", "on", "2025-03-05 10:00")),
     "posts", "ai_training", "2025-02-01 10:00", "to_remove", "to-remove"),
    ("used before a retroactive objection, withdrawn since", "US", "1980-01-01", None,
     (("ai_form", "filed", "2025-03-01 10:00"), ("ai_form", "withdrawn", "2025-03-05 10:00")),
     "posts", "ai_training", "2025-02-01 10:00", "allowed", "used"),
    ("used with consent, withdrawn later", "DE", "1980-01-01", None,
     (("ai_consent", "given", "2025-02-01 10:00"), ("ai_consent", "withdrawn", "2025-03-01 10:00")),
     "posts", "ai_training", "2025-02-15 10:00", "to_remove", "to-remove"),
    ("used a second before a retroactive opt-out", "US", "1980-01-01", None,
     (("ai_setting", "off", "2025-03-01 10:00"),), "posts", "ai_training", "2025-03-01 09:59:59",
     "to_remove", "to-remove"),
    ("used at the instant of a retroactive opt-out", "US", "1980-01-01", None,
     (("ai_setting", "off", "2025-03-01 10:00"),), "posts", "ai_training", "2025-03-01 10:00", "breach", "opted-out"),
    ("used without consent, opted out later", "DE", "1980-01-01", None, (("ai_setting", "off", "2025-03-01 10:00"),),
     "posts", "ai_training", "2025-02-01 10:00", "breach", "no-consent"),
    ("used before a prospective opt-out", "US", "1980-01-01", None, (("ai_setting", "off", "2024-09-01 10:00"),),
     "posts", "ai_training", "2024-08-01 10:00", "allowed", "used"),
    ("a category the rule does not state, before a retroactive opt-out", "US", "1980-01-01", None,
     (("ai_setting", "off", "2025-03-01 10:00"),), "location", "ai_training", "2025-02-01 10:00",
     "to_remove", "to-remove"),
    ("no birth date under an age limit, before a retroactive opt-out", "US", None, None,
     (("ai_setting", "off", "2025-03-01 10:00"),), "posts", "ai_training", "2025-02-01 10:00",
     "to_remove", "to-remove"),
    ("used, opted out and back on before the use, later off again", "US", "1980-01-01", None,
     (("ai_setting", "off", "2025-02-01 10:00"), ("ai_setting", "on", "2025-02-10 10:00"),
      ("ai_setting", "off", "2025-03-01 10:00")),
     "posts", "ai_training", "2025-02-15 10:00", "to_remove", "to-remove"),
)  # fmt: skip

# Named edges of a member whose age the evidence does not give: where the rule states an age limit, whether it
# excludes them is unknown; where it states none, the age does not matter; an opt-out settles it anyway.
UNKNOWN_AGE: tuple[Edge, ...] = (
    ("no birth date, an age limit", "US", None, None, (), "posts", "ai_training", "2025-03-01 10:00",
     "unknown", "not-stated"),
    ("no birth date, no age limit", "US", None, None, (), "posts", "ads", "2025-03-01 10:00", "allowed", "used"),
    ("a birth date over the age limit", "US", "2000-01-01", None, (), "posts", "ai_training", "2025-03-01 10:00",
     "allowed", "used"),
    ("no birth date, believed under 18, an age limit and silence on belief", "JP", None, "2025-02-01 00:00", (),
     "posts", "ai_training", "2025-03-01 10:00", "unknown", "not-stated"),
    ("no birth date, an age limit, opted out", "US", None, None, (("ai_setting", "off", "2025-02-01 10:00"),),
     "posts", "ai_training", "2025-03-01 10:00", "breach", "opted-out"),
    ("no birth date, an age limit, off by default and no consent", "DE", None, None, (), "posts", "ai_training",
     "2025-03-01 10:00", "breach", "no-consent"),
    ("no birth date, an age limit, consent given", "DE", None, None, (("ai_consent", "given", "2025-02-01 10:00"),),
     "posts", "ai_training", "2025-03-01 10:00", "unknown", "not-stated"),
)  # fmt: skip

# Every set of named edges, by name: the tests hold decide(), DuckDB and Spark to each stated verdict.
NAMED: dict[str, tuple[Edge, ...]] = {
    "edges": EDGES,
    "definite first": DEFINITE_FIRST,
    "kinds of control": KINDS,
    "to remove": TO_REMOVE,
    "unknown age": UNKNOWN_AGE,
}


def edges(cases: tuple[Edge, ...] = EDGES) -> Evidence:
    """Named edges as evidence, one member and one use each (use ids e00, e01, ...)."""
    evidence = Evidence()
    for n, (_, country, birth, since, changes, category, purpose, used_at, _s, _r) in enumerate(cases):
        member_id = f"edge{n}"
        if country:
            evidence.members[member_id] = Person(
                country,
                dt.date.fromisoformat(birth) if birth else None,
                _at(since) if since else None,
            )
        if changes:
            evidence.settings[member_id] = [Change(c, state, _at(at)) for c, state, at in changes]
        evidence.uses.append((f"e{n:02}", member_id, category, purpose, _at(used_at)))
    return evidence


@dataclass
class Evidence:
    """Members, settings and uses as rows."""

    members: dict[str, Person] = field(default_factory=dict)
    settings: dict[str, list[Change]] = field(default_factory=dict)
    uses: list[tuple[str, str, str, str, dt.datetime]] = field(default_factory=list)

    def expected(self, policy: Policy) -> list[tuple[object, ...]]:
        """decide()'s verdict on every use: use_id, snapshot, region group, status, reason, rule; by use_id."""
        verdicts = []
        for use_id, member_id, category, purpose, used_at in self.uses:
            v = judge(
                policy,
                self.members.get(member_id),
                self.settings.get(member_id, []),
                category=category,
                purpose=purpose,
                used_at=used_at,
            )
            verdicts.append((use_id, v.snapshot, v.region_group, v.status, v.reason, v.rule))
        return sorted(verdicts, key=lambda row: str(row[0]))

    def write(self, folder: Path) -> Path:
        """Write the three tables as Parquet files into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        members: list[tuple[Value, ...]] = [
            (member_id, p.country, p.birth_date, _naive(p.believed_under_18_since))
            for member_id, p in self.members.items()
        ]
        settings: list[tuple[Value, ...]] = [
            (member_id, c.control, c.state, _naive(c.changed_at)) for member_id, cs in self.settings.items() for c in cs
        ]
        uses: list[tuple[Value, ...]] = [(u, m, c, p, _naive(at)) for u, m, c, p, at in self.uses]
        tables = {
            "members": (
                [
                    ("member_id", "VARCHAR"),
                    ("country", "VARCHAR"),
                    ("birth_date", "DATE"),
                    ("believed_under_18_since", "TIMESTAMP"),
                ],
                members,
            ),
            "settings": (
                [("member_id", "VARCHAR"), ("control", "VARCHAR"), ("state", "VARCHAR"), ("changed_at", "TIMESTAMP")],
                settings,
            ),
            "uses": (
                [
                    ("use_id", "VARCHAR"),
                    ("member_id", "VARCHAR"),
                    ("category", "VARCHAR"),
                    ("purpose", "VARCHAR"),
                    ("used_at", "TIMESTAMP"),
                ],
                uses,
            ),
        }
        with DuckDB() as duck:
            for name, (columns, rows) in tables.items():
                duck.load(name, Rows(tuple(columns), tuple(rows)))
                duck.write_parquet(f"SELECT * FROM {name}", folder / f"{name}.parquet")
        return folder


def _naive(moment: dt.datetime | None) -> str | None:
    """A UTC instant as a timestamp's text (the column's type casts it)."""
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _instant(rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(rng.choice(KEY_DATES), rng.choice(TIMES))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def generate(seed: int, members: int = 30, uses: int = 200, controls: tuple[str, ...] = CONTROLS) -> Evidence:
    """Evidence on the policy's edges: birthdays on use dates, uses at the instant of a setting change, ...

    Each change is in the words of its control's kind (a signal sent or stopped, consent given or withdrawn).
    """
    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    kinds = policies()["platform"].control_kinds
    evidence = Evidence()
    for n in range(members):
        member_id = f"m{n}"
        key = rng.choice(KEY_DATES)
        birth = rng.choice(
            [
                None,
                _years_before(key, 18),
                _years_before(key, 18) + dt.timedelta(days=1),
                _years_before(key, 16),
                _years_before(key, 13) - dt.timedelta(days=1),
                dt.date(1980, 5, 5),
                dt.date(2008, 2, 29),
            ]
        )
        believed = rng.choice([None, None, _instant(rng)])
        evidence.members[member_id] = Person(rng.choice(COUNTRIES), birth, believed)
        changes = [
            Change(control, rng.choice(STATES[kinds[control]]), _instant(rng))
            for control in (rng.choice(controls) for _ in range(rng.choice([0, 0, 1, 2, 3, 4])))
        ]
        if changes:
            evidence.settings[member_id] = changes
    member_ids = [*evidence.members, "missing-member"]
    for n in range(uses):
        member_id = rng.choice(member_ids)
        changes = evidence.settings.get(member_id, [])
        at_a_change = changes and rng.random() < 0.4
        used_at = rng.choice(changes).changed_at if at_a_change else _instant(rng)
        evidence.uses.append((f"u{n:04}", member_id, rng.choice(CATEGORIES), rng.choice(PURPOSES), used_at))
    return evidence
