"""Scoring programs as content-addressed, immutable, versioned uploads (docs/artifacts.md)."""
