"""The step library privacy reviewers write guarantees with; ``policyproof steps`` prints it."""
