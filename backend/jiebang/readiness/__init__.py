"""Whether a track is ready to publish: its data, split, evaluator and a passing check."""
