"""The step library privacy reviewers write guarantees with."""
