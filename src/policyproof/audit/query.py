"""The audit as SQL, written once in DuckDB's dialect; other engines run it transpiled.

Evidence maps onto ``decide()``'s model this way (``schemas/evidence.md`` says it for users):

- the question's date is ``used_at``'s UTC calendar date; the policy's dates (rule dates, the version in
  force) are compared with it;
- the member's age is their age in whole years on that date, from ``birth_date`` (on their 18th birthday
  they are 18; someone born on 29 February turns a year older on 1 March in other years), unknown when
  ``birth_date`` is null;
- the member is believed to be under 18 when ``believed_under_18_since <= used_at``;
- their settings are the changes of the controls that govern the purpose (matched by label, so across
  versions), compared with ``used_at`` to the instant: a change at the same instant counts as made before
  the use, and of two changes at one instant the opt-out counts as the later.

Each setting timeline is cut into intervals, from each change to the next, with an opening interval
before the first change; a use falls in exactly one interval of its member's timeline, so the join is an
equality join with a range condition, which every engine runs without sorting the uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.engine.decisions import ADULT_AGE

if TYPE_CHECKING:
    from policyproof.audit.policy import Policy

# Views the engine defines before the audit runs, in order; each is a SELECT over those before it. The raw
# tables are read as their files give them; ``{name}`` is each timestamp column, made a UTC instant.
MEMBERS = """
SELECT CAST(member_id AS VARCHAR) AS member_id, CAST(country AS VARCHAR) AS country,
       CAST(birth_date AS DATE) AS birth_date, {believed_under_18_since} AS believed_since
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
"""


def instant(column: str, *, naive: bool) -> str:
    """A timestamp column as a UTC instant without a zone: naive values are UTC, an offset is honoured.

    A naive column is taken as it is (the cheap path for big Parquet files); text and zoned values go
    through a zoned timestamp, which the engine's session (set to UTC) turns into UTC.
    """
    if naive:
        return f"CAST({column} AS TIMESTAMP)"
    return f"CAST(CAST({column} AS TIMESTAMPTZ) AS TIMESTAMP)"


# The changes that concern each control set, in the order decide() reads them: by instant, opt-outs last.
CHANGES = """
SELECT s.member_id, c.cset, s.changed_at, s.state,
       ROW_NUMBER() OVER (PARTITION BY s.member_id, c.cset
                          ORDER BY s.changed_at, CASE WHEN s.state = 'off' THEN 1 ELSE 0 END) AS seq
FROM settings AS s JOIN concerns AS c ON c.control = s.control
"""
TIMELINE = """
WITH ordered AS (
  SELECT member_id, cset, changed_at, state, seq,
         LEAD(changed_at) OVER (PARTITION BY member_id, cset ORDER BY seq) AS next_at,
         MAX(seq) OVER (PARTITION BY member_id, cset) AS last_seq
  FROM changes
), last AS (
  SELECT member_id, cset, state AS last_state, changed_at AS last_at FROM ordered WHERE seq = last_seq
)
SELECT o.member_id, o.cset, o.changed_at AS start_at, o.next_at AS end_at, o.state, l.last_state, l.last_at
FROM ordered AS o JOIN last AS l ON l.member_id = o.member_id AND l.cset = o.cset
UNION ALL
SELECT o.member_id, o.cset, CAST(NULL AS TIMESTAMP) AS start_at, o.changed_at AS end_at,
       CAST(NULL AS VARCHAR) AS state, l.last_state, l.last_at
FROM ordered AS o JOIN last AS l ON l.member_id = o.member_id AND l.cset = o.cset
WHERE o.seq = 1
"""

_AGE = """CASE WHEN m.birth_date IS NULL THEN NULL ELSE
      YEAR(u.used_on) - YEAR(m.birth_date)
      - CASE WHEN MONTH(u.used_on) * 100 + DAYOFMONTH(u.used_on)
                  < MONTH(m.birth_date) * 100 + DAYOFMONTH(m.birth_date) THEN 1 ELSE 0 END END"""

_REASON = f"""CASE
    WHEN NOT j.matched THEN 'unmatched'
    WHEN v.superseded_from IS NOT NULL AND j.used_on >= v.superseded_from THEN 'not-in-force'
    WHEN c.snap IS NULL THEN 'not-stated'
    WHEN c.no_rule_reason IS NOT NULL THEN c.no_rule_reason
    WHEN j.used_on < c.active_from OR j.used_on > c.active_until THEN 'not-active'
    WHEN c.category_reason IS NOT NULL THEN c.category_reason
    WHEN j.age < c.age_below THEN 'excluded-member'
    WHEN (j.believed OR j.age < {ADULT_AGE}) AND c.believed_under_18 THEN 'excluded-member'
    WHEN (j.believed OR j.age < {ADULT_AGE})
         AND NOT (COALESCE(c.believed_under_18 = FALSE, FALSE)
                  OR (j.age IS NOT NULL AND c.age_below IS NOT NULL)) THEN 'not-stated'
    WHEN t.last_state = 'off' AND t.last_at > j.used_at AND c.retroactive IS NULL THEN 'not-stated'
    WHEN t.last_state = 'off' AND t.last_at > j.used_at AND c.retroactive THEN 'opted-out'
    WHEN t.state = 'off' THEN 'opted-out'
    WHEN t.state = 'on' THEN 'used'
    WHEN NOT c.default_on THEN 'no-consent'
    ELSE 'used'
  END"""


def verdicts(policy: Policy) -> str:
    """Every use with its verdict: snapshot, region group, reason, status and the rule (``file:line``).

    The member's facts at the use (believed to be under 18, age) come along for the guarantees over evidence.
    """
    return f"""
WITH u AS (
  SELECT use_id, member_id, category, purpose, used_at, CAST(used_at AS DATE) AS used_on
  FROM uses
), j AS (
  SELECT u.use_id, u.member_id, u.category, u.purpose, u.used_at, u.used_on,
         {policy.version_sql("u.used_on")} AS snap,
         m.member_id IS NOT NULL AS matched, m.country,
         COALESCE(m.believed_since <= u.used_at, FALSE) AS believed,
         {_AGE} AS age
  FROM u LEFT JOIN members AS m ON m.member_id = u.member_id
), r AS (
  SELECT j.use_id, j.member_id, j.category, j.purpose, j.used_at, j.believed, j.age, v.snapshot,
         k.grp AS region_group,
         {_REASON} AS reason,
         CASE WHEN c.no_rule_reason IS NOT NULL THEN c.no_rule_location ELSE c.rule_location END AS location
  FROM j
  JOIN versions AS v ON v.snap = j.snap
  LEFT JOIN countries AS k ON k.snap = j.snap AND k.country = j.country
  LEFT JOIN cells AS c
    ON c.snap = j.snap AND c.grp = k.grp AND c.purpose = j.purpose AND c.category = j.category
  LEFT JOIN timeline AS t
    ON t.member_id = j.member_id AND t.cset = c.cset
   AND (t.start_at IS NULL OR t.start_at <= j.used_at) AND (t.end_at IS NULL OR j.used_at < t.end_at)
)
SELECT use_id, member_id, category, purpose, used_at, believed, age, snapshot, region_group, reason,
       CASE WHEN reason = 'used' THEN 'allowed'
            WHEN reason IN ('not-stated', 'not-in-force') THEN 'unknown'
            WHEN reason = 'unmatched' THEN 'unmatched'
            ELSE 'breach' END AS status,
       CASE WHEN reason IN ('unmatched', 'not-in-force', 'not-stated') THEN NULL ELSE location END AS rule
FROM r
"""


SUMMARY = """
SELECT snapshot, region_group, purpose, status, reason, rule, COUNT(*) AS uses
FROM verdicts
GROUP BY snapshot, region_group, purpose, status, reason, rule
"""

BREACHES = """
SELECT use_id, member_id, snapshot, region_group, purpose, category, used_at, reason, rule
FROM verdicts WHERE status = 'breach'
"""


# Tables small enough to hold whole (the policy, the setting timelines): engines materialise them, so that
# their planners know their true size and build their hash tables from them, never from the uses.
SMALL = frozenset({"versions", "countries", "cells", "concerns", "changes", "timeline"})


def views(policy: Policy, naive: frozenset[str]) -> list[tuple[str, str]]:
    """The views an engine defines, in order, over the raw tables ``raw_members``, ``raw_settings``, ``raw_uses``.

    ``naive`` names the timestamp columns whose files hold naive timestamps. Those named in ``SMALL`` are
    materialised.
    """
    columns = ("believed_under_18_since", "changed_at", "used_at")
    at = {name: instant(name, naive=name in naive) for name in columns}
    return [
        ("members", MEMBERS.format(**at)),
        ("settings", SETTINGS.format(**at)),
        ("uses", USES.format(**at)),
        ("versions", policy.versions_sql()),
        ("countries", policy.countries_sql()),
        ("cells", policy.cells_sql()),
        ("concerns", policy.concerns_sql()),
        ("changes", CHANGES),
        ("timeline", TIMELINE),
        ("verdicts", verdicts(policy)),
    ]
