"""Collects every guarantee in this folder; the policyproof plugin fans each out over snapshots and regions."""

from pytest_bdd import scenarios

scenarios(".")
