"""The audit as SQL, written once in DuckDB's dialect; other engines run it transpiled.

Evidence maps onto ``decide()``'s model this way (``schemas/evidence.md`` says it for users):

- the question's date is ``used_at``'s UTC calendar date; the policy's dates (rule dates, the version in
  force) are compared with it;
- the member's age is their age in whole years on that date, from ``birth_date`` (on their 18th birthday
  they are 18; someone born on 29 February turns a year older on 1 March in other years), unknown
  (``Member.age_unknown``) when ``birth_date`` is null;
- the member is believed to be under 18 when ``believed_under_18_since <= used_at``;
- their settings are the changes of the controls that govern the purpose (matched by label, so across
  versions), each read in the words of its control's kind (``evidence.STATES``), compared with ``used_at``
  to the instant: a change at the same instant counts as made before the use, and of two changes at one
  instant the opt-out counts as the later.

Each setting timeline is cut into intervals, from each change to the next, with an opening interval
before the first change; a use falls in exactly one interval of its member's timeline, so the join is an
equality join with a range condition, which every engine runs without sorting the uses.

The uses are read once: ``tally`` counts them by version, cell and reason and keeps each breach and each use
to remove whole, and the summary and both lists are read from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from policyproof.engine.answers import Reason
from policyproof.engine.member import change_order_sql
from policyproof.engine.table import CHECKS

if TYPE_CHECKING:
    from policyproof.audit.evidence import Days
    from policyproof.audit.policy import Policy

# Views the engine defines before the audit runs, in order; each is a SELECT over those before it. The raw
# tables are read as their files give them; ``{name}`` is each timestamp column, made a UTC instant.
MEMBERS = """
SELECT CAST(member_id AS VARCHAR) AS member_id, CAST(country AS VARCHAR) AS country,
       CAST(birth_date AS DATE) AS birth_date, {believed_under_18_since} AS believed_since,
       {birth_day} AS birth_day
FROM raw_members
"""
SETTINGS = """
SELECT CAST(member_id AS VARCHAR) AS member_id, CAST(control AS VARCHAR) AS control,
       CAST(state AS VARCHAR) AS state, {changed_at} AS changed_at
FROM raw_settings
"""
USES = """
SELECT CAST(use_id AS VARCHAR) AS use_id, CAST(member_id AS VARCHAR) AS member_id,
       CAST(category AS VARCHAR) AS category, CAST(purpose AS VARCHAR) AS purpose, {used_at} AS used_at
FROM raw_uses
{days}
"""


def instant(column: str, *, naive: bool) -> str:
    """A timestamp column as a UTC instant without a zone: naive values are UTC, an offset is honoured.

    A naive column is taken as it is (the cheap path for big Parquet files); text and zoned values go
    through a zoned timestamp, which the engine's session (set to UTC) turns into UTC.
    """
    if naive:
        return f"CAST({column} AS TIMESTAMP)"
    return f"CAST(CAST({column} AS TIMESTAMPTZ) AS TIMESTAMP)"


# The changes that concern each control set, in the order decide() reads them (``decisions.change_order``). A
# state is read in the words of its control's kind (``concerns.on_state``) and kept as ``on`` or ``off``; a change
# of a control that objects (a signal, a form: ``concerns.objection``) is marked, with the rule's control it is of.
CHANGES = f"""
SELECT s.member_id, c.cset, s.changed_at, CASE WHEN s.state = c.on_state THEN 'on' ELSE 'off' END AS state,
       c.objection, c.rule_control, c.default_on,
       ROW_NUMBER() OVER (PARTITION BY s.member_id, c.cset
                          ORDER BY {change_order_sql("s.changed_at", "s.state = c.on_state")}) AS seq
FROM settings AS s JOIN concerns AS c ON c.control = s.control
"""
# What each change leaves standing (``member.Standing``):
# - the member's choice: the latest change of a setting or consent, or an objection raised under a purpose off by
#   default (its ``seq`` times two, plus one where it is on, so that the greatest is the latest and says its state);
# - the objections standing: counted up where one is raised and down where it is lifted (each change against the
#   one before it of the same control: the rule's control, and a control that objects, as a setting of its name
#   may not);
# - whether the member ever chose the purpose on.
# The purpose is off while the choice is off or an objection stands, on while the choice is on, and has its
# default otherwise (``state`` null).
_SO_FAR = "OVER (PARTITION BY member_id, cset ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
TIMELINE = f"""
WITH marked AS (
  SELECT member_id, cset, changed_at, state, seq, objection,
         NOT objection OR (state = 'off' AND NOT default_on) AS chooses,
         LAG(state) OVER (PARTITION BY member_id, cset, rule_control, objection ORDER BY seq) AS was
  FROM changes
), standing AS (
  SELECT member_id, cset, changed_at, seq,
         SUM(CASE WHEN NOT objection THEN 0
                  WHEN state = 'off' AND (was IS NULL OR was = 'on') THEN 1
                  WHEN state = 'on' AND was = 'off' THEN -1
                  ELSE 0 END) {_SO_FAR} AS objections,
         MAX(CASE WHEN chooses THEN seq * 2 + CASE WHEN state = 'on' THEN 1 ELSE 0 END END) {_SO_FAR} AS choice,
         MAX(CASE WHEN NOT objection AND state = 'on' THEN 1 ELSE 0 END) {_SO_FAR} = 1 AS given,
         LEAD(changed_at) OVER (PARTITION BY member_id, cset ORDER BY seq) AS next_at,
         MAX(seq) OVER (PARTITION BY member_id, cset) AS last_seq
  FROM marked
), ordered AS (
  SELECT member_id, cset, changed_at, seq, given, next_at, last_seq,
         CASE WHEN objections > 0 OR choice % 2 = 0 THEN 'off' WHEN choice % 2 = 1 THEN 'on' END AS state
  FROM standing
), last AS (
  SELECT member_id, cset, state AS last_state FROM ordered WHERE seq = last_seq
)
SELECT o.member_id, o.cset, o.changed_at AS start_at, o.next_at AS end_at, o.state, o.given, l.last_state
FROM ordered AS o JOIN last AS l ON l.member_id = o.member_id AND l.cset = o.cset
UNION ALL
SELECT o.member_id, o.cset, CAST(NULL AS TIMESTAMP) AS start_at, o.changed_at AS end_at,
       CAST(NULL AS VARCHAR) AS state, FALSE AS given, l.last_state
FROM ordered AS o JOIN last AS l ON l.member_id = o.member_id AND l.cset = o.cset
WHERE o.seq = 1
"""

# A date as the number YYYYMMDD: whole years between two such numbers are an age, as a birthday counts them.
_DAY_NUMBER = "(YEAR({d}) * 10000 + MONTH({d}) * 100 + DAYOFMONTH({d}))"
_AGE = f"""CASE WHEN m.birth_day IS NULL THEN NULL
      ELSE CAST(FLOOR(({_DAY_NUMBER.format(d="u.used_on")} - m.birth_day) / 10000) AS INTEGER) END"""

# Before the rule's questions, as decide() asks them: whether the member is in the evidence, whether the version
# judging the use is in force on its date, whether the version places the use (the member's country, its ids),
# and whether a rule governs the purpose there (``c.no_rule_reason`` where none does).
_BEFORE_THE_RULE = (
    ("NOT j.matched", exp.Literal.string("unmatched")),
    (
        "v.superseded_from IS NOT NULL AND j.used_on >= v.superseded_from",
        exp.Literal.string(str(Reason.NOT_IN_FORCE)),
    ),
    ("c.snap IS NULL", exp.Literal.string(str(Reason.NOT_STATED))),
    ("c.no_rule_reason IS NOT NULL", exp.column("no_rule_reason", table="c")),
)


def _reason() -> str:
    """The verdict of a use, as decide() reaches it: the first of its checks (``decisions.CHECKS``) that holds.

    Over the use and member (j), the version (v), the cell (c) and the member's setting interval at the use (t).
    """
    case = exp.Case()
    for condition, then in _BEFORE_THE_RULE:
        case = case.when(condition, then, dialect="duckdb")
    for check in CHECKS:
        case = case.when(check.sql, exp.Literal.string(str(check.reason)), dialect="duckdb")
    return case.sql(dialect="duckdb")


_REASON = _reason()
# What a reason makes of a use, and the rule a verdict cites (none where the policy says nothing that applies).
_UNKNOWN = "('not-stated', 'not-in-force')"


def _status(r: str) -> str:
    """The status of a use whose reason is the column ``r``."""
    return (
        f"CASE WHEN {r} = 'used' THEN 'allowed' WHEN {r} IN {_UNKNOWN} THEN 'unknown' "
        f"WHEN {r} = 'unmatched' THEN 'unmatched' WHEN {r} = 'to-remove' THEN 'to_remove' ELSE 'breach' END"
    )


def _rule(r: str) -> str:
    """The rule (``file:line``) a use whose reason is the column ``r`` cites; none where the policy is silent."""
    return (
        f"CASE WHEN {r} = 'unmatched' OR {r} IN {_UNKNOWN} THEN NULL "
        "WHEN c.no_rule_reason IS NOT NULL THEN c.no_rule_location ELSE c.rule_location END"
    )


# Each member, and whether they ever changed a setting (only their uses look for a setting interval).
KNOWN = """
SELECT members.*, s.member_id IS NOT NULL AS has_settings
FROM members LEFT JOIN settled AS s ON s.member_id = members.member_id
"""


def judging(policy: Policy) -> str:
    """Every use with the number of its version and cell and its reason, and the member's facts at the use.

    Each use is joined with its member, its cell (found by the member's country, so no separate look-up of
    the region group) and its setting interval; nothing is carried that the verdict does not need. Every
    table joined to the uses is one of ``SIDES``, which engines hold whole, so the uses are read once and
    never moved. Only the uses of members who changed a setting look for an interval (the others' key is
    null, which no engine looks up): most members never change one.
    """
    return f"""
WITH u AS (
  SELECT use_id, member_id, category, purpose, used_at, CAST(used_at AS DATE) AS used_on
  FROM uses
), j AS (
  SELECT u.use_id, u.member_id, u.category, u.purpose, u.used_at, u.used_on,
         {policy.version_sql("u.used_on")} AS snap,
         m.member_id IS NOT NULL AS matched, m.country, COALESCE(m.has_settings, FALSE) AS has_settings,
         COALESCE(m.believed_since <= u.used_at, FALSE) AS believed,
         {_AGE} AS age
  FROM u LEFT JOIN known AS m ON m.member_id = u.member_id
)
SELECT j.use_id, j.member_id, j.category, j.purpose, j.used_at, j.believed, j.age, j.snap, c.cell,
       {_REASON} AS reason
FROM j
JOIN versions AS v ON v.snap = j.snap
LEFT JOIN placed AS c
  ON c.snap = j.snap AND c.country = j.country AND c.purpose = j.purpose AND c.category = j.category
LEFT JOIN timeline AS t
  ON t.member_id = CASE WHEN j.has_settings THEN j.member_id END AND t.cset = c.cset
 AND (t.start_at IS NULL OR t.start_at <= j.used_at) AND (t.end_at IS NULL OR j.used_at < t.end_at)
"""


# Every use's verdict: snapshot, region group, reason, status and rule (file:line), with the member's facts
# at the use (believed to be under 18, age) for the guarantees over evidence.
VERDICTS = f"""
SELECT j.use_id, j.member_id, j.category, j.purpose, j.used_at, j.believed, j.age, v.snapshot,
       c.grp AS region_group, j.reason, {_status("j.reason")} AS status, {_rule("j.reason")} AS rule
FROM judging AS j JOIN versions AS v ON v.snap = j.snap LEFT JOIN cells AS c ON c.cell = j.cell
"""

# The audit's one pass over the uses: the uses counted by version, cell and reason, each breach and each use to
# remove kept whole (its own group), so that the summary and both lists come from it without judging twice.
_BREACH = f"reason NOT IN ('used', 'unmatched') AND reason NOT IN {_UNKNOWN}"
TALLY = f"""
SELECT snap, cell, CASE WHEN cell IS NULL THEN purpose END AS purpose, reason,
       CASE WHEN {_BREACH} THEN use_id END AS use_id,
       CASE WHEN {_BREACH} THEN member_id END AS member_id,
       CASE WHEN {_BREACH} THEN used_at END AS used_at,
       COUNT(*) AS uses
FROM judging
GROUP BY ALL
"""
_TALLIED = "FROM tally AS t JOIN versions AS v ON v.snap = t.snap LEFT JOIN cells AS c ON c.cell = t.cell"

SUMMARY = f"""
SELECT v.snapshot, c.grp AS region_group, COALESCE(c.purpose, t.purpose) AS purpose,
       {_status("t.reason")} AS status, t.reason, {_rule("t.reason")} AS rule, SUM(t.uses) AS uses
{_TALLIED}
GROUP BY ALL
"""


# In an order that is the same on every run and engine, so that the same evidence gives the same file.
def _kept(which: str) -> str:
    """The uses kept whole in ``tally`` that meet the condition ``which``, in a defined order."""
    return f"""
SELECT t.use_id, t.member_id, v.snapshot, c.grp AS region_group, c.purpose, c.category, t.used_at, t.reason,
       {_rule("t.reason")} AS rule
{_TALLIED}
WHERE t.use_id IS NOT NULL AND {which}
ORDER BY snapshot, region_group, used_at, use_id, member_id, purpose, category, reason, rule
"""


BREACHES = _kept("t.reason <> 'to-remove'")
# The uses whose data a later, retroactive opt-out requires removed: not breaches when made, nor now.
TO_REMOVE = _kept("t.reason = 'to-remove'")


# The views small enough to hold whole (the cells by country, the setting timelines): DuckDB materialises them,
# as it holds the policy's own tables, so that its planner knows their true size and builds its hash tables from
# them, never from the uses.
SMALL = frozenset({"placed", "changes", "timeline", "settled"})
# The tables the uses are joined to: each a table of the policy, of the members or of the setting intervals,
# never of the uses. DuckDB prepares them for a distributed engine, which sends each whole to every worker
# (Spark broadcasts it), so the uses stay where they are read; its planner would otherwise estimate the
# members too big to send and move every use to them.
SIDES = frozenset({"known", "versions", "placed", "timeline", "cells"})

# The views that read the uses: all the others are small, and DuckDB prepares them for any engine.
OVER_USES = frozenset({"uses", "judging", "verdicts"})

# Each cell once for each country of its region group: the cell a use falls in, found from its member's country.
PLACED = "SELECT k.country, c.* FROM countries AS k JOIN cells AS c ON c.snap = k.snap AND c.grp = k.grp"


def views(policy: Policy, naive: frozenset[str], days: Days | None = None) -> list[tuple[str, str]]:
    """The views an engine defines, in order, over the raw tables and the policy's (``Policy.tables``).

    The raw tables are ``raw_members``, ``raw_settings`` and ``raw_uses``; the engine holds them all before.

    ``naive`` names the timestamp columns whose files hold naive timestamps. Those named in ``SMALL`` are
    materialised. Given ``days``, only the uses of those days (the UTC date of ``used_at``) are judged.
    """
    columns = ("believed_under_18_since", "changed_at", "used_at")
    at = {name: instant(name, naive=name in naive) for name in columns}
    condition = days.condition(f"CAST({at['used_at']} AS DATE)") if days else None
    return [
        ("members", MEMBERS.format(**at, birth_day=_DAY_NUMBER.format(d="CAST(birth_date AS DATE)"))),
        ("settings", SETTINGS.format(**at)),
        ("uses", USES.format(**at, days=f"WHERE {condition}" if condition else "")),
        ("placed", PLACED),
        ("changes", CHANGES),
        ("timeline", TIMELINE),
        ("settled", "SELECT DISTINCT member_id FROM changes"),
        ("known", KNOWN),
        ("judging", judging(policy)),
        ("verdicts", VERDICTS),
    ]
