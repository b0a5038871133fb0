"""Copied entries: fingerprints of scored submissions and the pairs that share one (judges only)."""
