"""How reviewers write dates and other values in steps and on the command line, read in one place."""

from __future__ import annotations

import datetime as dt

from policyproof.exceptions import PolicyproofError


def parse_date(text: str) -> dt.date:
    """A date as reviewers write it: 2025-11-03 or 3 November 2025."""
    cleaned = text.strip()
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d %B %Y").date()):  # noqa: DTZ007
        try:
            return parse(cleaned)
        except ValueError:
            continue
    raise PolicyproofError(f"'{text}' is not a date; write it as 2025-11-03 or 3 November 2025")
