"""The evidence audit: what was done with member data, judged use by use against the policy."""
