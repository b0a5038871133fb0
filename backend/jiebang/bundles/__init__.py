"""Challenge bundles: a challenge list and a contest in YAML, validated, imported, exported."""
