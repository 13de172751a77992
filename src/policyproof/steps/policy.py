"""Steps that check the snapshot as a whole, in each region group: controls, legal basis, notice, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policyproof.guarantees import questions
from policyproof.guarantees.catalogue import Column, step

if TYPE_CHECKING:
    from policyproof.guarantees.cases import Cases

CATEGORIES = Column("data", "category", "categories")


@step(
    "Then",
    "these are never used for <purpose label>:",
    "these are never used for generative AI training:",
    table=CATEGORIES,
)
def never_used(cases: Cases, purpose: str, datatable: list[list[str]]) -> None:
    """Each data category in the table below the step, one a row, is never used for the purpose.

    The table has one column; its first row may be the header `| category |`.
    """
    cases.each(questions.never_used, purpose, CATEGORIES.values(datatable))


@step(
    "Then",
    "<purpose label> can be turned off in every region where it is active",
    "generative AI training can be turned off in every region where it is active",
)
def can_be_turned_off(cases: Cases, purpose: str) -> None:
    """A setting, form or signal turns the purpose off in each region group where it applies."""
    cases.each(questions.can_be_turned_off, purpose)


@step(
    "Then",
    "<purpose label> has a legal basis in every region where it is active",
    "generative AI training has a legal basis in every region where it is active",
)
def has_legal_basis(cases: Cases, purpose: str) -> None:
    """The snapshot states a legal basis for the purpose in each region group where it applies."""
    cases.each(questions.has_legal_basis, purpose)


@step(
    "Then",
    "<purpose label> was announced at least <n> [days|day] before it took effect",
    "generative AI training was announced at least 30 days before it took effect",
)
def announced_ahead(cases: Cases, purpose: str, days: str) -> None:
    """Where this version starts the purpose in a region, it was announced at least n days before.

    Where the purpose applied before this version, the check does not apply.
    """
    cases.each(questions.announced_ahead, purpose, int(days))


@step("Then", "every rule cites a source", "every rule cites a source")
def rules_cite_sources(cases: Cases) -> None:
    """Every rule and control governing the region group cites at least one source the snapshot lists."""
    cases.each(questions.rules_cite_sources)


@step(
    "Then",
    "opting out of <purpose label> also removes data already used",
    "opting out of generative AI training also removes data already used",
)
def opt_out_retroactive(cases: Cases, purpose: str) -> None:
    """Opting out of the purpose also removes data already used (for example, from trained models)."""
    cases.each(questions.opt_out_retroactive, purpose)
