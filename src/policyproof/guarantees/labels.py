"""A case's labels looked up in its snapshot: unknown there but known to another means this policy does not say."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from policyproof.exceptions import UnknownNameError
from policyproof.guarantees import findings
from policyproof.guarantees.endings import NotStated

if TYPE_CHECKING:
    from collections.abc import Callable

    from policyproof.guarantees.cases import Case
    from policyproof.snapshot.model import Category, Control, Snapshot
    from policyproof.snapshot.purposes import Purpose

_T = TypeVar("_T")


def _lookup(case: Case, kind: str, label: str, find: Callable[[Snapshot], _T]) -> _T:
    """What ``find`` finds in the case's snapshot; a label another loaded snapshot defines ends the case unknown."""
    try:
        return find(case.snapshot)
    except UnknownNameError:
        for other in case.scope.every.values():
            try:
                find(other)
            except UnknownNameError:
                continue
            raise NotStated(findings.undescribed(case.snapshot, kind, label)) from None
        raise


def category(case: Case, label: str) -> Category:
    """The category the label names in the case's snapshot."""
    return _lookup(case, "category", label, lambda s: s.find_category(label))


def purpose(case: Case, label: str) -> Purpose:
    """The purpose the label names in the case's snapshot."""
    return _lookup(case, "purpose", label, lambda s: s.find_purpose(label))


def control(case: Case, label: str) -> Control:
    """The control the label names in the case's snapshot."""
    return _lookup(case, "control", label, lambda s: s.find_control(label))
