"""Pure metric functions (numpy), each documented with its exact formula."""

from jiebang_eval.metrics.audio import si_sdr, snr
from jiebang_eval.metrics.bjontegaard import bd_quality, bd_rate
from jiebang_eval.metrics.correlation import krocc, plcc, rmse, srocc
from jiebang_eval.metrics.expression import CompiledExpression, ExpressionError, compile_expression
from jiebang_eval.metrics.logistic import fit_logistic_4, logistic_4
from jiebang_eval.metrics.psnr import (
    mean_squared_error,
    psnr,
    psnr_from_mse,
    psnr_global_mse,
    psnr_mean_of_frame_db,
)
from jiebang_eval.metrics.ssim_block import ssim_block
from jiebang_eval.metrics.ssim_gaussian import ssim_gaussian

__all__ = [
    "CompiledExpression",
    "ExpressionError",
    "bd_quality",
    "bd_rate",
    "compile_expression",
    "fit_logistic_4",
    "krocc",
    "logistic_4",
    "mean_squared_error",
    "plcc",
    "psnr",
    "psnr_from_mse",
    "psnr_global_mse",
    "psnr_mean_of_frame_db",
    "rmse",
    "si_sdr",
    "snr",
    "srocc",
    "ssim_block",
    "ssim_gaussian",
]
