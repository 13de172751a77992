"""Decisions: whether a member's data is used for a purpose on a date, and checks of a snapshot as a whole."""
