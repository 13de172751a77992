"""Showing a value that came from input, safely: no terminal control characters, and never more than a line's worth.

Every value read from a user's files or options (a label, a title, an id, a value in evidence) goes through
here before it is shown: in an error message, in the terminal, and in a report in any format. A terminal
would obey an escape sequence in a scenario's title, and a value of 100 MB would make a 100 MB error line.
"""

from __future__ import annotations

import re

LIMIT = 200  # characters of a value shown; the rest is said by its length

# An escape sequence as a terminal reads it (CSI ``ESC [ ... final``, OSC ``ESC ] ... BEL or ESC \``, or ESC and
# one character), then any other C0 control but tab and newline, DEL, and the C1 controls.
_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^\[\]]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def clean(text: str) -> str:
    """The text without terminal control characters: escape sequences whole, other controls but tab and newline."""
    return _CONTROLS.sub("", text)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def cut(text: str, limit: int = LIMIT) -> str:
    """The text cut past ``limit`` characters, ``aaaa… (104857600 characters)``, then cleaned."""
    return clean(_cap(text, limit))


def shown(value: object, limit: int = LIMIT) -> str:
    """A value as an error message quotes it: its Python form, controls escaped, cut as ``'aaaa…' (N characters)``.

    A text over the limit is cut before it is quoted, so that a value of any size costs the same to show.
    """
    if isinstance(value, str) and len(value) > limit:
        quoted = repr(value[:limit])
        return f"{quoted[:-1]}…{quoted[-1]} ({len(value)} characters)"
    return _cap(repr(value), limit)


def cleaned(data: object) -> object:
    """JSON-like data with every text in it (keys too) :func:`clean`, for a report written as JSON."""
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, dict):
        return {cleaned(key): cleaned(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [cleaned(item) for item in data]
    return data
