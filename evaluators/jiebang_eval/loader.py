"""Load an evaluator plugin from its directory without installing it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from jiebang_eval.contract import EvaluatorSpec


class EvaluatorLoadError(RuntimeError):
    """The directory does not hold a valid evaluator (an organiser bug)."""


def load_evaluator(directory: Path) -> ModuleType:
    """Import ``directory/evaluator.py``; its directory is put on ``sys.path`` for helpers."""
    source = directory / "evaluator.py"
    if not source.is_file():
        raise EvaluatorLoadError(f"{source} does not exist")
    module_name = f"jiebang_evaluator_{directory.resolve().name}"
    spec = importlib.util.spec_from_file_location(module_name, source)
    if spec is None or spec.loader is None:
        raise EvaluatorLoadError(f"cannot import {source}")
    sys.path.insert(0, str(directory.resolve()))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    if not isinstance(getattr(module, "SPEC", None), EvaluatorSpec):
        raise EvaluatorLoadError(f"{source} defines no SPEC of type EvaluatorSpec")
    if not callable(getattr(module, "evaluate", None)):
        raise EvaluatorLoadError(f"{source} defines no evaluate(ctx) function")
    return module


def spec_of(module: ModuleType) -> EvaluatorSpec:
    spec: EvaluatorSpec = module.SPEC
    return spec
