"""A new project that checks guarantees with policyproof: the files ``policyproof init`` writes."""
