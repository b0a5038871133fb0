"""Every message a team reads comes in English and Chinese: the contract refuses a
SubmissionError without both, and a wrapping folder is named rather than read as zero frames."""

from __future__ import annotations

import re
import shutil

import pytest
from test_eval_restoration import dirs  # noqa: F401

from jiebang_eval.contract import SubmissionError


def test_both_texts_are_required() -> None:
    error = SubmissionError(en="scores.csv is missing", zh="缺少 scores.csv")
    assert (error.message_en, error.message_zh, str(error)) == (
        "scores.csv is missing",
        "缺少 scores.csv",
        "scores.csv is missing",
    )
    with pytest.raises(TypeError, match="zh"):
        SubmissionError("scores.csv is missing")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="zh"):
        SubmissionError("scores.csv is missing", "")


def test_wrapping_folder_is_named_in_both_languages(dirs, run_evaluator, tmp_path) -> None:  # noqa: F811
    reference, submission, _ = dirs
    wrapped = tmp_path / "wrapped"
    shutil.copytree(submission, wrapped / "my_results")
    _, result = run_evaluator("restoration", wrapped, reference, {}, in_process=True)
    assert result["status"] == "invalid_submission"
    assert "one folder 'my_results/' around the expected layout" in result["error"]
    assert "my_results/" in result["error_zh"] and "顶层" in result["error_zh"]
    shutil.rmtree(submission / "0007")
    _, result = run_evaluator("restoration", submission, reference, {}, in_process=True)
    assert result["error"].startswith("folder 0007/ is missing")
    assert result["error_zh"].startswith("缺少文件夹 0007/")


def test_chinese_texts_hold_no_english_library_message(dirs, run_evaluator) -> None:  # noqa: F811
    reference, submission, _ = dirs
    (submission / "0007" / "0002.png").write_bytes(b"\x89PNG broken")
    _, result = run_evaluator("restoration", submission, reference, {}, in_process=True)
    assert result["error"].startswith("image 0007/0002.png cannot be read as PNG")
    assert not re.search(r"[A-Za-z]{5,}", result["error_zh"].replace("0007/0002.png", "")), result[
        "error_zh"
    ]


def test_quality_assessment_header_message_names_what_was_found(tmp_path, run_evaluator) -> None:
    reference, submission = tmp_path / "ref", tmp_path / "sub"
    reference.mkdir()
    submission.mkdir()
    (reference / "mos.csv").write_text("id,mos\na,1\nb,2\nc,3\n")
    (submission / "scores.csv").write_text("")
    _, result = run_evaluator("quality_assessment", submission, reference, {}, in_process=True)
    assert "实际为 空" in result["error_zh"] and "none" not in result["error_zh"].lower()
    (submission / "scores.csv").unlink()
    (submission / "out").mkdir()
    (submission / "out" / "scores.csv").write_text("id,score\na,1\nb,2\nc,3\n")
    _, result = run_evaluator("quality_assessment", submission, reference, {}, in_process=True)
    assert "one folder 'out/'" in result["error"]
