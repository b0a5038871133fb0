"""The composite score expression language accepts arithmetic and refuses everything else."""

from __future__ import annotations

import math

import pytest

from jiebang_eval.metrics.expression import ExpressionError, compile_expression

NAMES = {"psnr", "ssim"}


def test_malanshan_inpainting_score():
    expression = compile_expression("psnr*2*0.5 + ssim*100*0.5", allowed_names=NAMES)
    assert expression.evaluate({"psnr": 30.0, "ssim": 0.9}) == pytest.approx(30.0 + 45.0)


def test_functions_powers_and_unary_minus():
    expression = compile_expression("max(psnr, 20) - -log10(abs(-100)) ** 2", allowed_names=NAMES)
    assert expression.evaluate({"psnr": 10.0}) == pytest.approx(20 + 4)
    assert min(1, 2) == compile_expression("min(1, 2)", allowed_names=()).evaluate({})


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "psnr.__class__",
        "[psnr]",
        "psnr if ssim else 0",
        "open('x')",
        "lambda: 1",
        "'text'",
        "psnr < ssim",
        "min(psnr, key=abs)",
        "vmaf",
        "psnr +",
        "True",
    ],
)
def test_forbidden_constructs_are_rejected(text):
    with pytest.raises(ExpressionError):
        compile_expression(text, allowed_names=NAMES)


def test_evaluation_errors_are_reported():
    expression = compile_expression("psnr / ssim", allowed_names=NAMES)
    with pytest.raises(ExpressionError):
        expression.evaluate({"psnr": 1.0, "ssim": 0.0})
    with pytest.raises(ExpressionError, match="no value"):
        expression.evaluate({"psnr": 1.0})
    huge = compile_expression("10 ** 400.0", allowed_names=())
    with pytest.raises(ExpressionError):
        huge.evaluate({})
    assert math.isfinite(compile_expression("2 ** 10", allowed_names=()).evaluate({}))
