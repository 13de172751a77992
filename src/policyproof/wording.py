"""How reviewers write dates in steps and on the command line, read in one place."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from policyproof.exceptions import PolicyproofError, UsageError


def parse_date(text: str) -> dt.date:
    """A date as reviewers write it: 2025-11-03 or 3 November 2025."""
    cleaned = text.strip()
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d %B %Y").date()):  # noqa: DTZ007
        try:
            return parse(cleaned)
        except ValueError:
            continue
    raise PolicyproofError(f"'{text}' is not a date; write it as 2025-11-03 or 3 November 2025")


def parse_dated(text: str) -> tuple[str, dt.date]:
    """``LABEL@DATE``, a setting changed on a day, as the command line takes it: the label and the date."""
    label, at, date = text.rpartition("@")
    if not at or not label:
        raise UsageError(f"'{text}' needs the form LABEL@YYYY-MM-DD")
    return label, parse_date(date)


# The forms of a date a step reads, said when a step gives one in another form.
DATE_FORMS = (
    "write a date as 2025-12-01 or 1 December 2025, or from the effective date: on the effective date, "
    "30 days after the policy takes effect, the day before the policy takes effect"
)
# Dates as people write them that steps do not read: with an ordinal, the month first, slashes or dots.
_DATE_LIKE = re.compile(
    r"\bon (?P<date>\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+,? \d{4}|[A-Za-z]+ \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|\d{1,4}[/.]\d{1,2}[/.]\d{1,4})"
)
_READABLE = "on 2000-01-01"


def unreadable_dates(text: str) -> list[tuple[str, str]]:
    """Each date in a step's words that :func:`parse_date` cannot read, with the words as they read with one it can.

    A step with ``on 1st December 2025`` or ``on 12/01/2025`` matches no phrasing; put right, it may.
    """
    found = []
    for match in _DATE_LIKE.finditer(text):
        try:
            parse_date(match["date"])
        except PolicyproofError:
            found.append((match["date"], text[: match.start()] + _READABLE + text[match.end() :]))
    return found


_RELATIVE = re.compile(r"(?:(?P<days>\d+) days?|the day) (?P<side>before|after) the policy takes effect")
_EFFECTIVE = ("the effective date", "the day the policy takes effect")
# The ways a step may give a date, for step patterns: on a calendar date, or relative to the effective date of
# the snapshot the step is checked against.
WHEN = (
    r"(?:on (?:the effective date|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]+ \d{4})"
    r"|(?:\d+ days?|the day) (?:before|after) the policy takes effect|the day the policy takes effect)"
)


@dataclass(frozen=True, slots=True)
class When:
    """A date as a step gives it: a calendar date, or days from the effective date of the snapshot checked."""

    date: dt.date | None
    days_from_effective: int = 0

    def on(self, effective: dt.date) -> dt.date:
        """The calendar date, for a snapshot that takes effect on ``effective``."""
        return self.date if self.date is not None else effective + dt.timedelta(days=self.days_from_effective)


def parse_when(text: str) -> When:
    """A date as a step gives it, with or without "on".

    ``on 2025-12-01``, ``on 3 November 2025``, ``on the effective date``, ``30 days after the policy takes
    effect``, ``the day before the policy takes effect``.
    """
    words = " ".join(text.split())
    words = words[3:] if words.casefold().startswith("on ") else words
    if words.casefold() in _EFFECTIVE:
        return When(None)
    relative = _RELATIVE.fullmatch(words.casefold())
    if relative is not None:
        days = int(relative["days"] or 1)
        return When(None, days if relative["side"] == "after" else -days)
    return When(parse_date(words))
