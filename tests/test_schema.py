"""The JSON Schemas themselves: valid 2020-12, documented and closed throughout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator

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
