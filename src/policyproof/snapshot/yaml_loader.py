"""Safe YAML reading that remembers where every value was written.

Only plain data is accepted: no tags beyond the core ones, no anchors or aliases (so no alias bombs), no
duplicate or non-string keys, nothing nested more than 64 levels deep. Scalars follow YAML 1.2's core schema, so
``on``, ``no`` and dates stay strings, as editors using the snapshot schema read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from policyproof import files
from policyproof.exceptions import InputError, Problem
from policyproof.untrusted import shown

if TYPE_CHECKING:
    from pathlib import Path

MAX_BYTES = 1024 * 1024
ESCAPES = "a symbolic link to a file outside the project; policyproof does not follow it"
MAX_DEPTH = 64  # levels of mappings and lists; a snapshot nests fewer than 10

JsonPath = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_STR, _INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL_TAG, _NULL_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def format_path(path: JsonPath) -> str:
    """Render a path as ``$.purposes[0].rules[1]``."""
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


class _RefusedError(Exception):
    def __init__(self, mark: Any, message: str) -> None:  # noqa: ANN401 (PyYAML types its marks loosely)
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.2 core schema: true/false, null, decimal numbers; everything else is a string."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012 (PyYAML's own)


_Resolver.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(_NULL_TAG, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(_INT_TAG, _INT, list("-+0123456789"))
_Resolver.add_implicit_resolver(_FLOAT_TAG, _FLOAT, list("-+.0123456789"))


class _Composer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Resolver):
    """Builds the node tree and refuses anchors and aliases where they are written."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.depth = 0  # of the node being composed

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedError(event.start_mark, f"alias '*{event.anchor}' is not allowed; write the value out")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _RefusedError(event.start_mark, f"anchor '&{anchor}' is not allowed; write the value out")
        if self.depth >= MAX_DEPTH:
            # PyYAML composes nested values by recursion: refused well before Python's recursion limit.
            raise _RefusedError(event.start_mark, f"values nest more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass(frozen=True, slots=True)
class Document:
    """A YAML file's data and the line and column (1-based) where each value starts."""

    path: Path
    data: Any
    marks: dict[JsonPath, tuple[int, int]]

    def locate(self, path: JsonPath) -> tuple[int, int]:
        """The position of the value at ``path``, or of its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)

    def problem(self, path: JsonPath, message: str) -> Problem:
        """A problem located at the value at ``path``."""
        line, column = self.locate(path)
        return Problem(self.path, line, column, format_path(path), message)


class _Builder:
    """Turns nodes into plain data, recording positions and collecting problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.marks: dict[JsonPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def _mark(self, at: JsonPath, node: yaml.Node) -> None:
        self.marks[at] = (node.start_mark.line + 1, node.start_mark.column + 1)

    def _problem(self, at: JsonPath, node: yaml.Node, message: str) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(self.path, line, column, format_path(at), message))

    def build(self, node: yaml.Node, at: JsonPath) -> Any:  # noqa: ANN401 (YAML data is any JSON value)
        self._mark(at, node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self._refuse_tag(at, node)
                return None
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._refuse_tag(at, node)
                return None
            return [self.build(item, (*at, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, at)

    def _refuse_tag(self, at: JsonPath, node: yaml.Node) -> None:
        self._problem(at, node, f"tag '{node.tag}' is not allowed; write plain data")

    def _mapping(self, node: yaml.MappingNode, at: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                key = shown(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "'a collection'"
                self._problem(at, key_node, f"key {key} is not a string; quote it")
                continue
            key = str(key_node.value)
            if key in result:
                self._problem((*at, key), key_node, f"duplicate key '{key}' (first written at line {first_line[key]})")
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*at, key))
            self.marks[(*at, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def _scalar(self, node: yaml.Node, at: JsonPath) -> object:
        value = str(node.value)
        tag = node.tag
        if tag == _STR:
            return value
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG:
            return value.lower() == "true"
        if tag == _INT_TAG and _INT.match(value):
            return int(value)
        if tag == _FLOAT_TAG and _FLOAT.match(value):
            return float(value)
        self._refuse_tag(at, node)
        return None


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read one YAML file as plain data with positions; raise InputError naming every problem found.

    With the project's ``root``, a symbolic link that leads outside it is refused, unread (see ``files.escapes``).
    """

    def fail(message: str, line: int = 1, column: int = 1) -> InputError:
        return InputError([Problem(path, line, column, "$", message)])

    if root is not None and files.escapes(path, root):
        raise fail(ESCAPES)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a folder, not a file") from None
    except OSError as error:
        raise fail(f"cannot be read: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (1 MiB)")
    if b"\0" in raw:
        raise fail("binary file (it contains NUL bytes); a snapshot is YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise fail(f"not UTF-8 text (byte {error.start} cannot be decoded)") from None
    return parse_document(path, text)


def parse_document(path: Path, text: str) -> Document:
    """Parse YAML text as plain data with positions; raise InputError naming every problem found."""
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except _RefusedError as error:
        problem = Problem(path, error.mark.line + 1, error.mark.column + 1, "$", error.message)
        raise InputError([problem]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = error.problem or error.context or "not valid YAML"
        raise InputError([Problem(path, line, column, "$", f"YAML syntax error: {detail}")]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(path, 1, 1, "$", f"YAML error: {error}")]) from None
    finally:
        composer.dispose()
    if node is None:
        raise InputError([Problem(path, 1, 1, "$", "empty file; a snapshot needs at least 'platform'")])
    builder = _Builder(path)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return Document(path, data, builder.marks)
