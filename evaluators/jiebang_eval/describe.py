"""Print an evaluator's spec as JSON: ``python -m jiebang_eval.describe DIR``.

``--result-schema`` prints the JSON Schema of result.json instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jiebang_eval.contract import EvaluationResult
from jiebang_eval.loader import EvaluatorLoadError, load_evaluator, spec_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jiebang_eval.describe", description=__doc__)
    parser.add_argument("evaluator", type=Path, nargs="?", help="evaluator directory")
    parser.add_argument("--result-schema", action="store_true", help="print result.json's schema")
    args = parser.parse_args(argv)
    if args.result_schema:
        document = EvaluationResult.model_json_schema()
    elif args.evaluator is None:
        parser.error("give an evaluator directory or --result-schema")
    else:
        try:
            document = spec_of(load_evaluator(args.evaluator)).public_description()
        except EvaluatorLoadError as exc:
            print(f"jiebang_eval.describe: {exc}", file=sys.stderr)
            return 2
    print(json.dumps(document, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
