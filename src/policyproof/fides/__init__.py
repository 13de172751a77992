"""Fides (fideslang) privacy-as-code: a snapshot as a Fides policy, and Fides systems held against a snapshot."""
