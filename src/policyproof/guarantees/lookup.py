"""Finding a step's definitions from a list made once for each module, not once for every step of every test.

pytest-bdd finds the definitions of a step by asking pytest, for every fixture name there is, which
definitions a test can see, and does so again for every step of every test it runs. In a guarantee suite,
where each scenario runs once for each snapshot, that look-up is most of the cost of a test. The plugin puts
:func:`find_step_definitions` in its place: the same definitions in the same order, matched against a list
of the step definitions a module (or class) can see, made once and made again when fixtures are added; the
matches of a step text are kept, as the same step recurs across scenarios and across snapshots. It also puts
:func:`get_step_function` in place of pytest-bdd's, which registers the matches as a temporary fixture and
asks pytest for its value (the closest definition) at every step: it takes the closest definition directly.
Both give what pytest-bdd's own give; a test compares them step by step.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from pytest_bdd.compat import get_fixture_names, getfixturedefs
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest.fixtures import FixtureDef, FixtureManager
    from _pytest.nodes import Node
    from pytest_bdd.parser import Step

_Visible = list[tuple["FixtureDef[object]", StepFunctionContext]]


@dataclass
class _Seen:
    """The step definitions one module or class can see, and the matches of each step already looked up.

    ``names`` is how many fixture names there were when the list was made; when it changes, it is made again.
    """

    names: int
    visible: _Visible
    matching: dict[tuple[str, str], list[FixtureDef[object]]] = field(default_factory=dict)


_SEEN = pytest.StashKey[dict[str, _Seen]]()
# The module, not the function pytest_bdd exports under the same name.
_BDD_SCENARIO: Any = importlib.import_module("pytest_bdd.scenario")
_PYTEST_BDD = _BDD_SCENARIO.find_fixturedefs_for_step
_PYTEST_BDD_GET = _BDD_SCENARIO.get_step_function


def _seen(manager: FixtureManager, node: Node) -> _Seen:
    """The step definitions a node can see, with their step contexts, in pytest-bdd's order."""
    # A test sees the step definitions its module or class sees: pytest-bdd registers none on a test itself.
    holder = node.parent if isinstance(node, pytest.Function) and node.parent is not None else node
    names = get_fixture_names(fixturemanager=manager)
    seen = manager.session.stash.setdefault(_SEEN, {})
    known = seen.get(holder.nodeid)
    if known is None or known.names != len(names):
        found: _Visible = []
        for name in names:
            for fixturedef in getfixturedefs(manager, name, holder) or []:
                context = step_function_context_registry.get(fixturedef.func)
                if context is not None:
                    found.append((fixturedef, context))
        known = _Seen(len(names), found)
        seen[holder.nodeid] = known
    return known


def find_step_definitions(step: Step, fixturemanager: FixtureManager, node: Node) -> Iterator[FixtureDef[object]]:
    """The definitions that can parse a step and that a node can see, as pytest-bdd's own look-up finds them."""
    seen = _seen(fixturemanager, node)
    key = (step.type, step.name)
    matching = seen.matching.get(key)
    if matching is None:
        matching = [
            fixturedef
            for fixturedef, context in seen.visible
            if (context.type is None or context.type == step.type) and context.parser.is_matching(step.name)
        ]
        seen.matching[key] = matching
    return iter(matching)


def get_step_function(request: pytest.FixtureRequest, step: Step) -> StepFunctionContext | None:
    """The definition that runs a step: of those that match it, the closest to the test, as pytest-bdd picks it.

    pytest-bdd registers the matching definitions as a temporary fixture, sorted by how close they are to
    the test, and asks pytest for its value, which is the closest definition's; this takes it directly.
    """
    found = find_step_definitions(step, request._fixturemanager, request.node)  # noqa: SLF001 (as pytest-bdd does)
    closest = max(enumerate(found), key=lambda pair: (_depth(pair[1]), pair[0]), default=None)
    return None if closest is None else step_function_context_registry[closest[1].func]


def _depth(fixturedef: FixtureDef[object]) -> list[str]:
    """How close to a test a definition is, as pytest-bdd sorts them: the chain of its parent node ids."""
    return list(_BDD_SCENARIO.iterparentnodeids(fixturedef.baseid))


def install() -> None:
    """Make pytest-bdd find step definitions with :func:`find_step_definitions` and :func:`get_step_function`."""
    _BDD_SCENARIO.find_fixturedefs_for_step = find_step_definitions
    _BDD_SCENARIO.get_step_function = get_step_function


def uninstall() -> None:
    """Give pytest-bdd back its own look-up."""
    _BDD_SCENARIO.find_fixturedefs_for_step = _PYTEST_BDD
    _BDD_SCENARIO.get_step_function = _PYTEST_BDD_GET
