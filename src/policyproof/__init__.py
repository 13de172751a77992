"""policyproof: check platform data-use policies against the guarantees members are given."""

__version__ = "0.1.0"
