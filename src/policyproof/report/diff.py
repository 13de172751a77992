"""A semantic diff as text for a member, as Markdown, and as JSON (``schemas/diff.schema.json``)."""

from __future__ import annotations

import json
import textwrap
from itertools import groupby
from typing import TYPE_CHECKING, Any

from policyproof import __version__
from policyproof.history.diff import ACTIVE, Change, Diff, Entry, Side
from policyproof.history.facts import NOT_STATED, Fact, Named
from policyproof.report import escape
from policyproof.report.sentences import change_sentence, entry_lines, move_sentence, places, rules_line, when
from policyproof.snapshot.regions import country_name

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator

WIDTH = 100


def by_purpose(diff: Diff) -> Iterator[tuple[Named, list[Entry]]]:
    """The diff's entries, purpose by purpose."""
    for purpose, entries in groupby(diff.entries, key=lambda entry: entry.purpose):
        yield purpose, list(entries)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(diff: Diff) -> str:
    return f"What changed from {diff.old.id} to {diff.new.id}"


def _sides(diff: Diff) -> str:
    return (
        f"{diff.old.id} ({diff.old.location}) is in force from {when(diff.old.effective)}; "
        f"{diff.new.id} ({diff.new.location}) from {when(diff.new.effective)}."
    )


def _same(diff: Diff) -> str:
    return f"{diff.old.id} and {diff.new.id} state the same thing about every purpose in every country."


def render_text(diff: Diff) -> str:
    """The diff in sentences a member can read, wrapped for a terminal."""

    def fill(text: str, indent: str, hanging: str | None = None) -> list[str]:
        return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=hanging or indent) or [indent]

    lines = [_title(diff), *fill(_sides(diff), ""), ""]
    if diff.identical:
        return "\n".join([*lines, *fill(_same(diff), "")]) + "\n"
    if diff.moves:
        lines.append("Region groups")
        for move in diff.moves:
            lines += fill(move_sentence(move), "  - ", "    ")
        lines.append("")
    for purpose, entries in by_purpose(diff):
        lines.append(_capital(purpose.label))
        for entry in entries:
            headline, sentences = entry_lines(diff, entry)
            lines += fill(headline, "  * ", "    ")
            for sentence in sentences:
                lines += fill(sentence, "    - ", "      ")
            lines += fill(rules_line(entry), "    ", "      ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def markdown_lines(diff: Diff, level: int = 2) -> list[str]:
    """The diff as Markdown lines, its title at heading ``level`` (so a report can nest it)."""
    heading = "#" * level
    lines = [f"{heading} {escape.markdown(_title(diff))}", "", escape.markdown(_sides(diff)), ""]
    if diff.identical:
        return [*lines, escape.markdown(_same(diff)), ""]
    if diff.moves:
        lines += [f"{heading}# Region groups", ""]
        lines += [f"- {escape.markdown(move_sentence(move))}" for move in diff.moves]
        lines.append("")
    for purpose, entries in by_purpose(diff):
        lines += [f"{heading}# {escape.markdown(_capital(purpose.label))}", ""]
        for entry in entries:
            headline, sentences = entry_lines(diff, entry)
            lines.append(f"- {escape.markdown(headline)}")
            lines += [f"  - {escape.markdown(sentence)}" for sentence in sentences]
            lines.append(f"  - {escape.markdown(rules_line(entry))}")
        lines.append("")
    return lines


def render_markdown(diff: Diff) -> str:
    """The diff as a Markdown page."""
    return "\n".join(markdown_lines(diff, level=1)).rstrip() + "\n"


# --- JSON -----------------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item(item: object) -> object:
    return {"id": item.id, "label": item.label} if isinstance(item, Named) else item


def _value(change: Change, value: object) -> object:
    """A change's value as plain data: null for what the policy does not state."""
    if isinstance(value, Fact):
        state = "active" if value.active is True else "not-stated" if value.active is NOT_STATED else "not-active"
        return {"state": state, "from": _date(value.active_from), "until": _date(value.active_until)}
    if change.field == "dates" and isinstance(value, tuple):
        return {"from": _date(value[0]), "until": _date(value[1])}
    if isinstance(value, tuple):
        return [_item(item) for item in value]
    return None if value is NOT_STATED else value


def _change(change: Change, headline: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "field": change.field,
        "kind": change.kind,
        "before": _value(change, change.before),
        "after": _value(change, change.after),
    }
    if change.field != ACTIVE and isinstance(change.before, tuple) and change.field != "dates":
        data["added"] = [_item(item) for item in change.added]
        data["removed"] = [_item(item) for item in change.removed]
        data["renamed"] = [{"before": _item(old), "after": _item(new)} for old, new in change.renamed]
    data["text"] = headline if change.field == ACTIVE else change_sentence(change)
    return data


def _side(side: Side) -> dict[str, Any]:
    return {
        "id": side.id,
        "version": side.version.isoformat(),
        "effective": side.effective.isoformat(),
        "announced": side.announced.isoformat(),
        "file": side.location,
    }


def _groups(side: Side, countries: tuple[str, ...]) -> list[str]:
    return sorted({group.id for country, group in side.groups if country in countries and group is not None})


def diff_data(diff: Diff) -> dict[str, Any]:
    """The diff as plain data, in the form ``schemas/diff.schema.json`` describes."""
    entries = []
    for entry in diff.entries:
        headline, sentences = entry_lines(diff, entry)
        entries.append(
            {
                "purpose": _item(entry.purpose),
                "where": places(diff, entry.countries),
                "countries": list(entry.countries),
                "old_groups": _groups(diff.old, entry.countries),
                "new_groups": _groups(diff.new, entry.countries),
                "old_rule": entry.old_location,
                "new_rule": entry.new_location,
                "text": [headline, *sentences],
                "changes": [_change(change, headline) for change in entry.changes],
            }
        )
    return {
        "tool": {"name": "policyproof", "version": __version__},
        "old": _side(diff.old),
        "new": _side(diff.new),
        "identical": diff.identical,
        "region_moves": [
            {
                "country": move.country,
                "country_name": country_name(move.country) if move.country != "*" else "rest of the world",
                "before": _item(move.before) if move.before is not None else None,
                "after": _item(move.after) if move.after is not None else None,
                "text": move_sentence(move),
            }
            for move in diff.moves
        ],
        "entries": entries,
    }


def render_json(diff: Diff) -> str:
    """The diff as JSON text: sorted keys, two-space indents, a final newline."""
    return json.dumps(diff_data(diff), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[Diff], str]] = {"text": render_text, "markdown": render_markdown, "json": render_json}
