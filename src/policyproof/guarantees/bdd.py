"""What the plugin reads of pytest-bdd and pytest beyond their public API, in one place, and why.

pytest-bdd publishes its decorators, parsers, hooks and the parsed feature (``pytest_bdd.parser``), but not a
way from a test function to the scenario it runs, nor from a test item to its outline example, nor a way to
list the step definitions a test can see; pytest publishes no way to list fixtures. The plugin needs all
three at collection, to fan a scenario out and to refuse undefined and ambiguous steps before anything runs.
Each read below says why and which versions were checked: pytest 8.3.0 and 9.2.0, pytest-bdd 8.1.0 and 9.0.1,
the bounds ``pyproject.toml`` allows (``make test`` runs the upper ones, ``make test-min`` the lower ones).
Nothing here changes pytest or pytest-bdd; it only reads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import pytest
from pytest_bdd.scenario import find_fixturedefs_for_step

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_bdd.parser import ScenarioTemplate, Step
    from pytest_bdd.steps import StepFunctionContext

# The modules, not the functions pytest_bdd exports under the same names.
_SCENARIO = importlib.import_module("pytest_bdd.scenario")
_STEPS = importlib.import_module("pytest_bdd.steps")
# pytest-bdd 9.0 keeps the scenario of each test function it makes in this registry; 8.1 sets the function's
# ``__scenario__`` attribute instead. Neither is public; the scenario's tags, steps and examples decide the fan-out.
_TEMPLATES = getattr(_SCENARIO, "scenario_wrapper_template_registry", None)
# Likewise for the step each step-definition fixture stands for: a registry in 9.0, an attribute in 8.1.
_CONTEXTS = getattr(_STEPS, "step_function_context_registry", None)
# pytest-bdd parametrizes a scenario outline's test function by this argument, one example each (8.1 to 9.0.1).
_EXAMPLE = "_pytest_bdd_example"
# The step functions matching each step text, by the module (or class) that sees them, for the session.
_FOUND = pytest.StashKey[dict[tuple[str, str, str], list["Callable[..., object]"]]]()


def template_of(function: object) -> ScenarioTemplate | None:
    """The Gherkin scenario behind a test function pytest-bdd made, or None for any other function."""
    if not callable(function):
        return None
    if _TEMPLATES is None:
        return getattr(function, "__scenario__", None)
    return _TEMPLATES.get(function)  # type: ignore[no-any-return]


def example_of(item: pytest.Item) -> dict[str, str]:
    """The outline example a test item runs (empty for a plain scenario)."""
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get(_EXAMPLE) if callspec is not None else None
    return example if isinstance(example, dict) else {}


def _context(function: Callable[..., object]) -> StepFunctionContext | None:
    if _CONTEXTS is None:
        return getattr(function, "_pytest_bdd_step_context", None)
    return _CONTEXTS.get(function)  # type: ignore[no-any-return]


def step_functions(step: Step, definition: pytest.Function | pytest.Item) -> list[Callable[..., object]]:
    """The step functions whose definitions match a step and are visible where a test function is defined.

    pytest-bdd's own look-up (``find_fixturedefs_for_step``, the same in 8.1 and 9.0) finds them from pytest's
    fixture manager: pytest has no public way to list fixtures (``session._fixturemanager`` is how pytest-bdd
    itself gets at them, in every version checked). That look-up goes through every fixture name, so its
    answer is kept for each step text and module: a module or class sees the definitions its functions see,
    as pytest-bdd registers none on a function while collecting.
    """
    holder = definition.parent if definition.parent is not None else definition
    found = definition.session.stash.setdefault(_FOUND, {})
    key = (holder.nodeid, step.type, step.name)
    functions = found.get(key)
    if functions is None:
        manager = definition.session._fixturemanager  # noqa: SLF001 (see above)
        contexts = [_context(fixturedef.func) for fixturedef in find_fixturedefs_for_step(step, manager, holder)]
        functions = list(dict.fromkeys(context.step_func for context in contexts if context is not None))
        found[key] = functions
    return functions
