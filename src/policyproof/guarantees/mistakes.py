"""A reviewer's mistakes in a guarantee, found when it is collected: every one of them, each located.

Functions over the parsed Gherkin, the step catalogue and the loaded snapshots; each returns the mistakes it
finds as messages, ``feature-file:line: what is wrong`` and then indented detail. Where the labels are in a
step is read from its phrasing's pattern (its named groups) and from the column of the table it reads, so a
new phrasing is checked without new code here.
"""

from __future__ import annotations

import itertools
import linecache
import re
from typing import TYPE_CHECKING

from policyproof.exceptions import UnknownNameError, suggestions
from policyproof.guarantees import catalogue
from policyproof.guarantees.findings import parse_reason
from policyproof.guarantees.questions import ANY_DATA
from policyproof.outcomes import Severity
from policyproof.snapshot.model import Snapshot
from policyproof.snapshot.names import normalise

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from pytest_bdd.parser import Feature, ScenarioTemplate, Step

    from policyproof.guarantees.scope import Scope

    Where = Callable[[int], str]
    Check = Callable[[str, Scope], UnknownNameError | None]

SEVERITIES = tuple(Severity)
GUARANTEE_PREFIX = "G-"


def _label(kind: str, find: Callable[[Snapshot, str], object]) -> Check:
    """A check that some loaded snapshot defines a label; where only some define it, the others do not say."""

    def check(label: str, scope: Scope) -> UnknownNameError | None:
        known: list[str] = []
        for snapshot in scope.every.values():
            try:
                find(snapshot, label)
            except UnknownNameError as error:
                known.extend(error.known)
            else:
                return None
        return UnknownNameError(kind, label, list(dict.fromkeys(known)))

    return check


def _reason(words: str, _scope: Scope) -> UnknownNameError | None:
    try:
        parse_reason(words)
    except UnknownNameError as error:
        return error
    return None


def _data(label: str, scope: Scope) -> UnknownNameError | None:
    """A category label, or "data": whatever data the purpose's rule uses."""
    return None if normalise(label) == ANY_DATA else _category(label, scope)


_category = _label("category", Snapshot.find_category)
# What the named groups of the phrasings' patterns hold, by group name; other groups (dates, places) are not here.
CHECKS: dict[str, Check] = {
    "data": _data,
    "purpose": _label("purpose", Snapshot.find_purpose),
    "control": _label("control", Snapshot.find_control),
    "form": _label("control", Snapshot.find_control),
    "signal": _label("control", Snapshot.find_control),
    "reason": _reason,
}


class Labels:
    """The words of a run's steps, checked against the loaded snapshots once each: the same recur everywhere."""

    def __init__(self, scope: Scope) -> None:
        """Check nothing yet."""
        self.scope = scope
        self._checked: dict[tuple[str, str], UnknownNameError | None] = {}

    def checks(self, group: str) -> bool:
        """Whether a pattern group's words are checked (labels and reasons are; dates and places are not here)."""
        return group in CHECKS

    def unknown(self, group: str, words: str) -> UnknownNameError | None:
        """Why a group's words name nothing, with the names they could have meant, or None when they name something."""
        key = (group, words)
        if key not in self._checked:
            self._checked[key] = CHECKS[group](words, self.scope)
        return self._checked[key]


def tag_problems(scenario: str, tags: set[str], where: str) -> list[str]:
    """A scenario needs exactly one severity tag and one guarantee id tag; say which it lacks or has too many of."""
    severities = [tag for tag in SEVERITIES if tag in tags]
    ids = sorted(tag for tag in tags if tag.startswith(GUARANTEE_PREFIX))
    problems = []
    if not severities:
        problems.append(f"{where}: scenario '{scenario}' needs one severity tag: @blocking or @advisory")
    if not ids:
        problems.append(
            f"{where}: scenario '{scenario}' needs one guarantee id tag "
            f"starting with @{GUARANTEE_PREFIX} (on the scenario or its feature)"
        )
    for what, found in (("severity", severities), ("guarantee id", ids)):
        if len(found) > 1:
            listed = ", ".join(f"@{tag}" for tag in found)
            problems.append(f"{where}: scenario '{scenario}' has {len(found)} {what} tags: {listed}; it needs one")
    return problems


def _lines(filename: str) -> list[str]:
    """A feature file's lines, read again if it changed since they were last read."""
    linecache.checkcache(filename)
    return linecache.getlines(filename)


def _tag_line(template: ScenarioTemplate, tag: str) -> int:
    """The line a tag is written on: the nearest above its scenario (or rule), or above its feature."""
    on_feature = tag in template.feature.tags and tag not in template.tags
    start = template.feature.line_number if on_feature else template.line_number
    lines = _lines(template.feature.filename)
    written = re.compile(rf"(?<!\S)@{re.escape(tag)}(?!\S)")
    return next((line for line in range(start, 0, -1) if written.search(lines[line - 1])), start)


def duplicate_id(
    template: ScenarioTemplate, guarantee: str, seen: dict[str, ScenarioTemplate], where: Callable[[Feature, int], str]
) -> list[str]:
    """A guarantee id another feature file has too; ``seen`` keeps a scenario of the feature each id was first in."""
    first = seen.setdefault(guarantee, template)
    if first.feature.filename == template.feature.filename:
        return []
    return [
        (
            f"{where(template.feature, _tag_line(template, guarantee))}: guarantee id @{guarantee} is also the id of "
            f"{where(first.feature, _tag_line(first, guarantee))}\n"
            "  a guarantee is one feature file with an id of its own: give one of them a new id"
        )
    ]


def _row(values: Iterable[str]) -> str:
    return f"| {' | '.join(values)} |"


def example_rows(template: ScenarioTemplate, where: Where) -> list[str]:
    """Each example of an outline as ``path:line: | value | value |``, in the order of its contexts.

    A plain scenario has one example, with no row: ``""``.
    """
    rows = []
    for examples in template.examples:
        lines = _lines(template.feature.filename)
        start = examples.line_number or template.line_number
        after = range(start + 1, len(lines) + 1)
        table = (line for line in after if lines[line - 1].lstrip()[:1] == "|")
        # The first row of the table names the columns; pytest-bdd keeps the values of the others, in order.
        body = itertools.islice(table, 1, None)
        rows += [f"{where(next(body, start))}: {_row(values)}" for values in examples.examples]
    return rows or [""]


def wording_problems(
    written: Sequence[Step], steps: Sequence[Step], labels: Labels | None, where: Where, example: str
) -> list[str]:
    """What is wrong in the wording of a scenario's steps: their tables and text blocks, and unknown labels.

    ``written`` are the steps as in the file, ``steps`` as rendered for one example (``example``, its row); a
    label that comes from the example names its row. Labels are checked only when ``labels`` are given. Steps
    of no catalogue phrasing (undefined, or a project's own) are not checked here.
    """
    problems = []
    for original, step in zip(written, steps, strict=True):
        doc = catalogue.matching(step.type, step.name)
        if doc is None:
            continue
        problems.extend(_table_problems(doc, step, where))
        if labels is not None:
            problems.extend(_label_problems(doc, original, step, labels=labels, where=where, example=example))
    return problems


def _table_problems(doc: catalogue.StepDoc, step: Step, where: Where) -> list[str]:
    """A table or text block the step would ignore, a table of more than one column, or one with no value."""
    text = f"{step.keyword} {step.name}"
    at = where(step.line_number)
    problems = []
    if step.docstring is not None:
        problems.append(f"{at}: text block under a step that reads none: {text}\n  the step would ignore it: remove it")
    table, column = step.datatable, doc.table
    if column is None:
        if table is not None:
            problems.append(
                f"{at}: table under a step that reads none: {text}\n  the step would ignore it: remove it, "
                "or use a step that reads a table (policyproof steps lists them)"
            )
        return problems
    wide = next((row for row in table.rows if len(row.cells) > 1), None) if table is not None else None
    if wide is not None:
        problems.append(
            f"{where(wide.location.line)}: table row with {len(wide.cells)} columns: "
            f"{_row(cell.value for cell in wide.cells)}\n"
            f"  the table has one column, one {column.name} a row: put each {column.name} on its own row"
        )
    elif not column.values([[cell.value for cell in row.cells] for row in table.rows] if table is not None else []):
        problems.append(
            f"{at}: no {column.name} listed under: {text}\n  list them in a table below the step, "
            f"one {column.name} a row (a first row | {column.name} | is a header)"
        )
    return problems


def _label_problems(
    doc: catalogue.StepDoc, original: Step, step: Step, *, labels: Labels, where: Where, example: str
) -> list[str]:
    """Each label in the step's words, and in the rows of the table it reads, that no loaded snapshot defines."""
    problems = []
    found = doc.pattern.fullmatch(step.name)
    as_written = doc.pattern.fullmatch(original.name)
    for group, value in found.groupdict().items() if found is not None else ():
        error = labels.unknown(group, value) if labels.checks(group) and value is not None else None
        if error is not None:
            from_example = as_written is None or as_written.group(group) != value
            shown = step if from_example else original
            text = f": {shown.keyword} {shown.name}"
            problems.append(_unknown(where(step.line_number), error, text, example if from_example else ""))
    column = doc.table
    if column is None or not labels.checks(column.group) or step.datatable is None or original.datatable is None:
        return problems
    rows = zip(step.datatable.rows, original.datatable.rows, strict=True)
    for index, (row, written_row) in enumerate(rows):
        values = [cell.value for cell in row.cells]
        if len(values) != 1 or not values[0].strip() or (index == 0 and column.is_header(values)):
            continue
        error = labels.unknown(column.group, values[0].strip())
        if error is not None:
            from_example = written_row.cells[0].value != values[0]
            shown = step if from_example else original
            text = f" in the table of: {shown.keyword} {shown.name}"
            problems.append(_unknown(where(row.location.line), error, text, example if from_example else ""))
    return problems


def _unknown(at: str, error: UnknownNameError, text: str, example: str) -> str:
    """An unknown label's message: where, what and in which step; then the example, and the closest labels."""
    lines = [f"{at}: unknown {error.kind} '{error.name}'{text}"]
    if example:
        lines.append(f"  in the example at {example}")
    # The closest labels if some are close; else all of them.
    detail = suggestions(error.name, error.known, listed=False) or suggestions(error.name, error.known)
    lines += [f"  {part}" for part in detail]
    return "\n".join(lines)
