"""The CLI contract the platform relies on: describe, exit codes, schema, custom plugins."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import jsonschema
import pytest

from conftest import EVALUATORS
from jiebang_eval.contract import EvaluationResult

BUILT_IN = ["video_codec_rd", "restoration", "quality_assessment", "audio_separation"]


def _describe(*args):
    completed = subprocess.run(
        [sys.executable, "-m", "jiebang_eval.describe", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_describe_every_built_in_evaluator():
    for key in BUILT_IN:
        described = _describe(str(EVALUATORS / key))
        assert described["key"] == key
        assert described["primary_metric"] in {m["key"] for m in described["metrics"]}
        for metric in described["metrics"]:
            assert metric["direction"] in ("higher", "lower")
            assert metric["formula_zh"] and metric["formula_en"]
        assert described["submission_format_zh"] and described["submission_format_en"]
        assert described["config_schema"]["type"] == "object"


def test_result_schema_is_exported():
    assert _describe("--result-schema") == EvaluationResult.model_json_schema()


PLUGIN = """
from pydantic import BaseModel
from helper import double
from jiebang_eval.contract import EvaluatorSpec, ItemResult, MetricSpec, SubmissionError
from jiebang_eval.results import item_split, ok_result


class Config(BaseModel):
    factor: float = 1.0


SPEC = EvaluatorSpec(
    key="custom", version="0.1.0", title_zh="自定义", title_en="Custom",
    submission_format_zh="value.txt", submission_format_en="value.txt",
    reference_format_en="-",
    metrics=[MetricSpec(key="v", label_zh="值", label_en="Value", direction="higher",
                        formula_zh="值", formula_en="value")],
    primary_metric="v", config_model=Config,
)


def evaluate(ctx):
    text = (ctx.submission_dir / "value.txt").read_text()
    if text == "crash":
        raise ZeroDivisionError("evaluator bug")
    if not text.isdigit():
        raise SubmissionError(f"value.txt holds {text!r}, not a number", "不是数字")
    items = [ItemResult(id=i, split=item_split(ctx, i),
                        metrics={"v": double(int(text)) * ctx.config.factor})
             for i in ("a", "b")]
    return ok_result(ctx, items)
"""


@pytest.fixture
def plugin(tmp_path):
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "evaluator.py").write_text(textwrap.dedent(PLUGIN))
    (folder / "helper.py").write_text("def double(x):\n    return 2 * x\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "ref").mkdir()
    return tmp_path


def _run(plugin, value, config):
    (plugin / "sub" / "value.txt").write_text(value)
    (plugin / "config.json").write_text(json.dumps(config))
    out = plugin / "out" / "result.json"
    out.unlink(missing_ok=True)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jiebang_eval.run",
            "--evaluator",
            str(plugin / "custom"),
            "--submission",
            str(plugin / "sub"),
            "--reference",
            str(plugin / "ref"),
            "--config",
            str(plugin / "config.json"),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return completed, json.loads(out.read_text()) if out.exists() else None


def test_organiser_plugin_with_helper_module_and_splits(plugin):
    completed, result = _run(plugin, "21", {"factor": 0.5, "splits": {"pub": ["a"], "priv": ["b"]}})
    assert completed.returncode == 0, completed.stderr
    jsonschema.validate(result, EvaluationResult.model_json_schema())
    assert result["metrics"] == {"v": 21.0}
    assert result["metrics_by_split"] == {"pub": {"v": 21.0}, "priv": {"v": 21.0}}
    assert result["evaluator"] == {"key": "custom", "version": "0.1.0"}
    _, without_splits = _run(plugin, "21", {})
    assert list(without_splits["metrics_by_split"]) == ["all"]


def test_invalid_submission_is_a_result_not_a_failure(plugin):
    completed, result = _run(plugin, "abc", {})
    assert completed.returncode == 0
    assert result["status"] == "invalid_submission"
    assert result["error"] == "value.txt holds 'abc', not a number"
    assert result["error_zh"] == "不是数字"


def test_evaluator_bug_exits_non_zero_with_traceback(plugin):
    completed, result = _run(plugin, "crash", {})
    assert completed.returncode == 1
    assert "Traceback" in completed.stderr and "ZeroDivisionError" in completed.stderr
    assert result is None


def test_config_error_is_an_organiser_error(plugin):
    completed, result = _run(plugin, "1", {"factor": "lots"})
    assert completed.returncode == 2
    assert "organiser error" in completed.stderr and "factor" in completed.stderr
    assert result is None
    completed, _ = _run(plugin, "1", {"splits": {"pub": "a"}})
    assert completed.returncode == 2
