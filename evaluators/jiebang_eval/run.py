"""Score one submission: ``python -m jiebang_eval.run --evaluator DIR ...``.

Exit status: 0 when result.json was written (``ok`` or ``invalid_submission``);
2 for an organiser error (bad config, broken evaluator directory); 1 with a
traceback on stderr for any other exception (an evaluator bug).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError

from jiebang_eval.contract import EvaluationContext, EvaluationResult, SubmissionError
from jiebang_eval.loader import EvaluatorLoadError, load_evaluator, spec_of
from jiebang_eval.results import invalid_result

EXIT_ORGANISER_ERROR = 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m jiebang_eval.run", description=__doc__)
    parser.add_argument("--evaluator", type=Path, required=True, help="evaluator directory")
    parser.add_argument("--submission", type=Path, required=True)
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True, help="config.json")
    parser.add_argument("--output", type=Path, required=True, help="result.json to write")
    return parser.parse_args(argv)


def _read_splits(raw: dict[str, Any]) -> dict[str, list[str]]:
    splits = raw.pop("splits", None)
    if splits is None:
        return {}
    if not isinstance(splits, dict) or not all(
        isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in splits.values()
    ):
        raise ValueError('"splits" must map split names to lists of item ids')
    return {str(name): list(ids) for name, ids in splits.items()}


def write_result(result: EvaluationResult, output: Path) -> None:
    """Validate ``result`` against the exported JSON Schema, then write it."""
    document = result.model_dump(mode="json")
    jsonschema.validate(document, EvaluationResult.model_json_schema())
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        module = load_evaluator(args.evaluator)
        spec = spec_of(module)
        raw_config = json.loads(args.config.read_text(encoding="utf-8"))
        if not isinstance(raw_config, dict):
            raise ValueError("config.json must hold a JSON object")
        splits = _read_splits(raw_config)
        config = spec.config_model.model_validate(raw_config)
    except (EvaluatorLoadError, ValidationError, ValueError, OSError) as exc:
        print(f"jiebang_eval.run: organiser error: {exc}", file=sys.stderr)
        return EXIT_ORGANISER_ERROR
    with tempfile.TemporaryDirectory(prefix="jiebang_eval_") as work:
        ctx = EvaluationContext(
            spec=spec,
            submission_dir=args.submission,
            reference_dir=args.reference,
            config=config,
            splits=splits,
            work_dir=Path(work),
        )
        try:
            result = module.evaluate(ctx)
        except SubmissionError as exc:
            result = invalid_result(ctx, exc)
        if not isinstance(result, EvaluationResult):
            raise TypeError(f"evaluate() returned {type(result).__name__}, not EvaluationResult")
        write_result(result, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
