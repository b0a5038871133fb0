"""The demo contest: deterministic data, three teams' baselines, scored by the real pipeline."""
