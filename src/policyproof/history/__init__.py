"""Policy history: what changed between two versions of a platform's policy, and when each use ran."""
