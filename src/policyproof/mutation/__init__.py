"""Mutation testing of the guarantees: deliberate breaches of each snapshot, and which guarantees notice them."""
