"""JSON Schema validation of loaded YAML, with messages a reviewer can act on."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker

from policyproof.untrusted import shown

if TYPE_CHECKING:
    from jsonschema import ValidationError

    from policyproof.exceptions import Problem
    from policyproof.snapshot.yaml_loader import Document, JsonPath

_SHOWN = 60  # characters of a wrong value quoted back in a message

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "null",
}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One of the shipped schemas (``policy-snapshot``, ``waivers``, ``report``), parsed."""
    text = resources.files("policyproof").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# An absolute URI as RFC 3986 writes it: a scheme, then only the characters a URI may hold, others percent-encoded.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def is_uri(instance: object) -> bool:
    """Whether text is an absolute URI (RFC 3986), with a host for a web address; other values are not text."""
    if not isinstance(instance, str):
        return True
    if _URI.fullmatch(instance) is None:
        return False
    parts = urlsplit(instance)
    return parts.scheme.lower() not in {"http", "https"} or bool(parts.hostname)


def format_checker() -> FormatChecker:
    """The formats the shipped schemas use, each checked: ``date`` by jsonschema, ``uri`` here.

    jsonschema checks ``uri`` only when an optional package is installed, and skips it silently otherwise; a
    test holds every format the schemas name to a check here.
    """
    checker = FormatChecker(formats=("date",))
    checker.checks("uri")(is_uri)
    return checker


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for a shipped schema, checking formats (dates, addresses) too."""
    return Draft202012Validator(load_schema(name), format_checker=format_checker())


def schema_problems(document: Document, name: str) -> list[Problem]:
    """Every place where the document breaks the schema, in file order, each said once."""
    problems = {
        document.problem(path, message)
        for error in validator(name).iter_errors(document.data)
        for path, message in _explain(error)
    }
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def _shown(value: object) -> str:
    return shown(value, _SHOWN)


def _explain(error: ValidationError) -> list[tuple[JsonPath, str]]:  # noqa: PLR0911 (a return per keyword)
    """Plain-language messages for one schema error, each at the path it concerns."""
    path: JsonPath = tuple(error.absolute_path)
    keyword = error.validator
    expected: Any = error.validator_value
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(key for key in value if key not in allowed)
        return [((*path, key), _unknown_key(key, allowed)) for key in extra]
    if keyword == "required":
        return [(path, f"missing required key {error.message.split(' is a required')[0]}")]
    if keyword == "type":
        return [(path, _wrong_type(path, expected, value))]
    if keyword == "enum":
        options = ", ".join(repr(option) for option in expected)
        return [(path, f"{shown(value)} is not one of {options}")]
    if keyword == "const":
        return [(path, f"must be {expected!r}, got {shown(value)}")]
    if keyword in {"pattern", "format"}:
        return [(path, _form(value, schema))]
    if keyword == "oneOf":
        return [(path, f"needs exactly one of {_choices(schema)}")]
    if keyword == "minItems":
        return [(path, f"needs at least {expected} item(s)")]
    if keyword == "uniqueItems":
        return [(path, "lists the same item twice")]
    return [(path, error.message)]


def _wrong_type(path: JsonPath, expected: str | list[str], value: object) -> str:
    """What a value of the wrong type is; the whole file's value is not shown, as nothing of it was understood.

    A file that is not a mapping at all may be anything named by mistake (a credentials file, say).
    """
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
    if not path:
        return f"expected {wanted}, got {_kind(value)}; this is not what the file should hold"
    return f"expected {wanted}, got {_kind(value)} ({_shown(value)})"


def _form(value: object, schema: dict[str, Any]) -> str:
    """What is wrong with a string of the wrong form, by the form the schema asks for."""
    form = schema.get("format")
    if form == "date":
        return f"{shown(value)} is not a date; write it as YYYY-MM-DD (ISO 8601)"
    if form == "uri":
        return (
            f"{shown(value)} is not a web address; write it in full, starting with https://, "
            "and percent-encode characters a web address cannot hold (such as spaces, |, { or })"
        )
    return f"{shown(value)} is not of the expected form: {schema.get('description', schema.get('pattern'))}"


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ";"
    return f"unknown key {shown(key)}{hint} expected one of: {', '.join(allowed)}"


def _choices(schema: dict[str, Any]) -> str:
    options = [", ".join(f"'{key}'" for key in branch.get("required", [])) for branch in schema.get("oneOf", [])]
    return " or ".join(options)
