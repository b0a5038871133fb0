"""Pure metric functions (numpy), one small module each, each stating its exact formula.

Import the submodule you need (e.g. ``from jiebang_eval.metrics.psnr import psnr``):
nothing is re-exported here so that a light evaluator does not pay for scipy.
"""
