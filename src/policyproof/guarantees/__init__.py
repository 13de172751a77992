"""Guarantees: Gherkin scenarios fanned out over snapshots and region groups, and the pytest plugin that runs them."""
