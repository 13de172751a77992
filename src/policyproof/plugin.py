"""The pytest plugin: runs Gherkin guarantees against policy snapshots."""

from __future__ import annotations
