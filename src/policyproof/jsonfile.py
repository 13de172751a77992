"""Reading a JSON file the user names (a baseline, an audit), within limits of size and depth.

A file past the limits is refused in one line naming it, before it can exhaust memory or Python's recursion.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policyproof.exceptions import InputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64  # levels of lists and objects; policyproof's own files nest fewer than 10


def read_json(path: Path, what: str) -> Any:  # noqa: ANN401 (JSON data is any JSON value)
    """The JSON data in ``path``, ``what`` naming the file in messages; an unusable file is an InputError."""

    def fail(message: str, line: int = 1, column: int = 1) -> InputError:
        return InputError([Problem(path.as_posix(), line, column, "$", message)])

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(f"the {what} is {size} bytes; the limit is {MAX_BYTES} (256 MiB)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(f"no such {what} file") from None
    except IsADirectoryError:
        raise fail(f"is a folder, not a {what} file") from None
    except OSError as error:
        raise fail(f"cannot read the {what}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise fail(f"the {what} is not UTF-8 text (byte {error.start} cannot be decoded)") from None
    too_deep = fail(f"the {what} nests lists and objects more than {MAX_DEPTH} levels deep")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise fail(f"not JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise too_deep from None
    if _depth(data) > MAX_DEPTH:
        raise too_deep
    return data


def _depth(data: object) -> int:
    """How many levels of lists and objects nest in ``data``, counted without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest
