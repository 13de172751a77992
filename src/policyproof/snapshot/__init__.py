"""Policy snapshots: safe YAML, the JSON Schema, the checks a schema cannot express, and the value objects."""
