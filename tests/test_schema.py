"""The JSON Schemas themselves: valid 2020-12, documented and closed throughout, every format checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator

from policyproof.exceptions import InputError
from policyproof.report.waivers import load_waivers
from policyproof.snapshot.schema import is_uri, validator

if TYPE_CHECKING:
    from collections.abc import Iterator

SCHEMAS = sorted((Path(__file__).parent.parent / "schemas").glob("*.schema.json"))


def _objects(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:  # noqa: ANN401
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_valid_draft_2020_12_with_an_id(path: Path) -> None:
    """Each schema is a valid 2020-12 schema and has an $id."""
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(path.name)


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_object_is_closed_and_every_property_described(path: Path) -> None:
    """Every object forbids unknown keys (a map states the form of its values) and every property is described."""
    schema = json.loads(path.read_text())
    objects = list(_objects(schema))
    assert objects
    for where, node in objects:
        is_map = "properties" not in node and isinstance(node.get("additionalProperties"), dict)
        assert is_map or node.get("additionalProperties") is False, where
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{where}/properties/{name}"


def test_the_schemas_editors_point_at_are_the_ones_the_package_validates_with() -> None:
    """The top-level schemas/ holds byte-identical copies of the schemas shipped inside the package."""
    shipped = Path(__file__).parent.parent / "src" / "policyproof" / "schemas"
    assert [p.name for p in SCHEMAS] == sorted(p.name for p in shipped.glob("*.schema.json"))
    for path in SCHEMAS:
        assert path.read_bytes() == (shipped / path.name).read_bytes(), f"{path.name} differs from the shipped copy"


def _formats(node: Any) -> set[str]:  # noqa: ANN401
    if isinstance(node, dict):
        found = {node["format"]} if isinstance(node.get("format"), str) else set()
        return found.union(*(_formats(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_formats(value) for value in node))
    return set()


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_format_a_schema_names_is_checked(path: Path) -> None:
    """No `format` is skipped: each one a schema names has a check in the validator policyproof uses."""
    formats = _formats(json.loads(path.read_text()))
    checker = validator(path.name.removesuffix(".schema.json")).format_checker
    assert checker is not None
    assert formats <= set(checker.checkers), sorted(formats - set(checker.checkers))


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("https://www.linkedin.com/legal/privacy-policy", True),
        ("https://example.org/a%20b?q=1#part", True),
        ("https://example.org/notice|2025", False),
        ("https://example.org/{id}", False),
        ("https://example.org/100%", False),
        ("https:///no-host", False),
        ("example.org/notice", False),
    ],
)
def test_a_web_address_is_checked_against_rfc_3986(text: str, valid: bool) -> None:
    """The uri format accepts absolute web addresses and refuses characters RFC 3986 does not allow."""
    assert is_uri(text) is valid


def test_an_impossible_date_in_a_waivers_file_is_refused(tmp_path: Path) -> None:
    """The date format is checked in waivers too: 30 February is refused with how to write a date."""
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - guarantee: G-X\n    snapshots: [acme@2025-01-01]\n    regions: [EU]\n"
        "    justification: Being confirmed.\n    owner: privacy@example.org\n    expires: 2026-02-30\n"
    )
    with pytest.raises(InputError) as raised:
        load_waivers(waivers)
    message = "$.waivers[0].expires: '2026-02-30' is not a date; write it as YYYY-MM-DD (ISO 8601)"
    assert str(raised.value) == f"{waivers}:7:5: {message}"
