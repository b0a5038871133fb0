"""video_codec_rd end to end through ``python -m jiebang_eval.run`` with real ffmpeg encodes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_ffmpeg, write_test_clip
from jiebang_eval.media.rawvideo import RawVideoFormat

FRAMES = 3
ANCHOR_QPS = [42, 38, 34, 30]  # r1 = lowest rate
SEQUENCES = {
    "seqA": RawVideoFormat(256, 192, "yuv420p"),
    "seqB": RawVideoFormat(256, 192, "yuv420p10le"),
}
CONFIG = {"splits": {"public": ["seqA"], "private": ["seqB"]}, "n_threads": 2}


def _x265(reference: Path, fmt: RawVideoFormat, out: Path, qp: int, frames: int = FRAMES) -> None:
    run_ffmpeg(
        "-f",
        "rawvideo",
        "-pix_fmt",
        fmt.pix_fmt,
        "-s",
        f"{fmt.width}x{fmt.height}",
        "-i",
        str(reference),
        "-frames:v",
        str(frames),
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        f"qp={qp}:log-level=error",
        "-f",
        "hevc",
        str(out),
    )


@pytest.fixture(scope="module")
def reference_dir(tmp_path_factory) -> Path:
    ref = tmp_path_factory.mktemp("codec_reference")
    listing = []
    for name, fmt in SEQUENCES.items():
        write_test_clip(ref / f"{name}.yuv", fmt, FRAMES)
        listing.append(
            {
                "name": name,
                "width": fmt.width,
                "height": fmt.height,
                "fps": "25/1",
                "frames": FRAMES,
                "pix_fmt": fmt.pix_fmt,
            }
        )
    (ref / "sequences.json").write_text(json.dumps({"sequences": listing}))
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jiebang_eval.anchors",
            "--reference",
            str(ref),
            "--encoder",
            "libx265",
            "--preset",
            "ultrafast",
            "--qp",
            *map(str, ANCHOR_QPS),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return ref


def _submission(root: Path, reference: Path, qps: list[int]) -> Path:
    for name, fmt in SEQUENCES.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        for k, qp in enumerate(qps, start=1):
            _x265(reference / f"{name}.yuv", fmt, root / name / f"r{k}.265", qp)
    return root


def test_anchor_identical_submission_scores_zero_bd_rate(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "same", reference_dir, ANCHOR_QPS)
    completed, result = run_evaluator("video_codec_rd", submission, reference_dir, CONFIG)
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "ok", result["error"]
    assert abs(result["metrics"]["bd_rate"]) < 1e-9
    assert set(result["metrics_by_split"]) == {"public", "private"}
    assert {i["id"]: i["split"] for i in result["items"]} == {"seqA": "public", "seqB": "private"}
    anchor = json.loads((reference_dir / "anchor.json").read_text())
    points = result["items"][0]["extra"]["rate_points"]
    assert points == anchor["sequences"]["seqA"]
    assert {"psnr_y", "psnr_yuv", "ssim", "ms_ssim", "vmaf"} <= set(points[0]["quality"])
    curve = result["plots"]["rd_curves"][0]
    assert curve["metric"] == "psnr_yuv" and len(curve["submission"]) == len(ANCHOR_QPS)


def test_better_submission_and_decoder_track_agree(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "fine", reference_dir, [40, 36, 32, 28])
    _, by_bitstream = run_evaluator("video_codec_rd", submission, reference_dir, CONFIG)
    assert by_bitstream["status"] == "ok"
    for name, fmt in SEQUENCES.items():
        for k in range(1, 5):
            run_ffmpeg(
                "-i",
                str(submission / name / f"r{k}.265"),
                "-pix_fmt",
                fmt.pix_fmt,
                "-f",
                "rawvideo",
                str(submission / name / f"r{k}.yuv"),
            )
    decoder_config = {**CONFIG, "track": "decoded_yuv", "bd_metric": "vmaf"}
    _, by_yuv = run_evaluator("video_codec_rd", submission, reference_dir, decoder_config)
    assert by_yuv["status"] == "ok"
    vmaf_config = {**CONFIG, "bd_metric": "vmaf"}
    _, by_bitstream_vmaf = run_evaluator("video_codec_rd", submission, reference_dir, vmaf_config)
    assert by_yuv["metrics"] == pytest.approx(by_bitstream_vmaf["metrics"], abs=1e-9)


def _first_error(run_evaluator, submission, reference, config=CONFIG) -> str:
    completed, result = run_evaluator(
        "video_codec_rd", submission, reference, config, in_process=True
    )
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "invalid_submission"
    return result["error"]


def test_invalid_submissions_have_specific_messages(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "bad", reference_dir, ANCHOR_QPS)
    fmt_a = SEQUENCES["seqA"]
    _x265(reference_dir / "seqA.yuv", fmt_a, submission / "seqA" / "r2.265", 38, frames=2)
    assert "frame count 2 ≠ 3 in seqA/r2.265" in _first_error(
        run_evaluator, submission, reference_dir
    )
    _x265(reference_dir / "seqA.yuv", fmt_a, submission / "seqA" / "r2.265", 38)
    longer = ["-f", "lavfi", "-i", "testsrc2=size=256x192:rate=25", "-frames:v", "7"]
    x265 = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "qp=24:log-level=error"]
    run_ffmpeg(*longer, *x265, "-f", "hevc", str(submission / "seqA" / "r4.265"))
    assert "seqA/r4.265 has more than 3 frames" in _first_error(
        run_evaluator, submission, reference_dir
    )
    _x265(reference_dir / "seqA.yuv", fmt_a, submission / "seqA" / "r4.265", ANCHOR_QPS[3])
    shutil.copy(submission / "seqA" / "r1.265", submission / "seqB" / "r1.265")
    assert "seqB/r1.265 decodes to yuv420p, expected yuv420p10le" in _first_error(
        run_evaluator, submission, reference_dir
    )
    (submission / "seqB" / "r1.265").write_bytes(b"not a video" * 10)
    assert "seqB/r1.265 is not a h264/hevc/vvc/av1 bitstream" in _first_error(
        run_evaluator, submission, reference_dir
    )
    (submission / "seqB" / "r1.265").unlink()
    assert "seqB: expected exactly one bitstream r1.<ext>" in _first_error(
        run_evaluator, submission, reference_dir
    )


def test_rate_rules_are_enforced(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "rates", reference_dir, [38, 42, 34, 30])
    assert "rate points of seqA must increase" in _first_error(
        run_evaluator, submission, reference_dir
    )
    good = _submission(tmp_path / "budget", reference_dir, ANCHOR_QPS)
    budget = {**CONFIG, "max_total_bytes": 100}
    assert "over the budget of 100 bytes" in _first_error(
        run_evaluator, good, reference_dir, budget
    )
    windows = {**CONFIG, "rate_windows_kbps": [[0, 1], [0, 1e6], [0, 1e6], [0, 1e6]]}
    assert "outside the target window 0–1 kbps for r1" in _first_error(
        run_evaluator, good, reference_dir, windows
    )


def test_h264_bitstreams_are_accepted(reference_dir, tmp_path, run_evaluator):
    submission = tmp_path / "avc"
    for name, fmt in SEQUENCES.items():
        (submission / name).mkdir(parents=True)
        for k, crf in enumerate([40, 34, 28, 22], start=1):
            run_ffmpeg(
                "-f",
                "rawvideo",
                "-pix_fmt",
                fmt.pix_fmt,
                "-s",
                "256x192",
                "-i",
                str(reference_dir / f"{name}.yuv"),
                "-c:v",
                "libx264",
                "-crf",
                str(crf),
                "-pix_fmt",
                fmt.pix_fmt,
                "-f",
                "h264",
                str(submission / name / f"r{k}.264"),
            )
    _, result = run_evaluator("video_codec_rd", submission, reference_dir, CONFIG)
    assert result["status"] == "ok", result["error"]
    assert result["metrics"]["bd_rate"] != 0


def _noisy_top_point(reference: Path, submission: Path) -> None:
    """r4 of seqA: a noisy encode, the highest rate but the lowest quality."""
    fmt = SEQUENCES["seqA"]
    run_ffmpeg(
        *["-f", "rawvideo", "-pix_fmt", fmt.pix_fmt, "-s", f"{fmt.width}x{fmt.height}"],
        *["-i", str(reference / "seqA.yuv"), "-frames:v", str(FRAMES)],
        *["-vf", "noise=alls=90:allf=t", "-c:v", "libx265", "-preset", "ultrafast"],
        *["-x265-params", "qp=22:log-level=error", "-f", "hevc"],
        str(submission / "seqA" / "r4.265"),
    )


def test_a_non_monotonic_curve_is_refused_naming_the_points(reference_dir, tmp_path, run_evaluator):
    # Gaming vector: a bad top point used to be dropped by sorting on quality and could
    # improve the BD-rate; it is now an invalid submission, or scored on the hull if opted in.
    submission = _submission(tmp_path / "nonmono", reference_dir, ANCHOR_QPS)
    _noisy_top_point(reference_dir, submission)
    error = _first_error(run_evaluator, submission, reference_dir)
    assert "seqA: psnr_yuv does not increase with rate at these points" in error
    assert "kbps" in error
    hull = {**CONFIG, "non_monotonic": "convex_hull"}
    _, result = run_evaluator("video_codec_rd", submission, reference_dir, hull)
    assert result["status"] == "ok", result["error"]
    seq_a = next(item for item in result["items"] if item["id"] == "seqA")
    kept = seq_a["extra"]["convex_hull"]
    assert len(kept) == 3
    assert [q for _, q in kept] == sorted(q for _, q in kept)


def test_a_narrow_overlap_is_warned_or_refused(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "narrow", reference_dir, [31, 29, 27, 25])
    _, result = run_evaluator("video_codec_rd", submission, reference_dir, CONFIG)
    assert result["status"] == "ok", result["error"]
    seq_a = next(item for item in result["items"] if item["id"] == "seqA")
    assert seq_a["extra"]["overlap"] < 0.75
    assert seq_a["extra"]["overlap_warning"] is True
    strict = {**CONFIG, "min_overlap_rule": "refuse"}
    assert "overlaps the anchor's by" in _first_error(
        run_evaluator, submission, reference_dir, strict
    )


def _build_anchor(reference: Path, encoder: str, qps: list[int], output: str, *extra: str):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jiebang_eval.anchors",
            *["--reference", str(reference), "--encoder", encoder, "--output"],
            str(reference / output),
            *["--qp", *map(str, qps), *extra],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr


def _standalone_vmaf(distorted: Path, reference: Path, fmt: RawVideoFormat, graph: str, tmp: Path):
    log = tmp / "standalone_vmaf.json"
    decoded = tmp / "standalone.yuv"
    run_ffmpeg("-i", str(distorted), "-pix_fmt", fmt.pix_fmt, "-f", "rawvideo", str(decoded))
    size = ["-f", "rawvideo", "-pix_fmt", fmt.pix_fmt, "-s", f"{fmt.width}x{fmt.height}"]
    run_ffmpeg(
        *size,
        *["-i", str(decoded)],
        *size,
        *["-i", str(reference), "-lavfi", graph.format(log=log), "-f", "null", "-"],
    )
    frames = json.loads(log.read_text())["frames"]
    return sum(f["metrics"]["vmaf"] for f in frames) / len(frames)


@pytest.fixture(scope="module")
def neg_reference(reference_dir, tmp_path_factory) -> Path:
    """The codec reference with classes A and B and two VMAF NEG anchors (x265, SVT-AV1)."""
    reference = tmp_path_factory.mktemp("neg") / "reference"
    shutil.copytree(reference_dir, reference)
    listing = json.loads((reference / "sequences.json").read_text())
    for entry, cls in zip(listing["sequences"], ("A", "B"), strict=True):
        entry["class"] = cls
    (reference / "sequences.json").write_text(json.dumps(listing))
    neg = ("--vmaf-model", "vmaf_v0.6.1neg", "--preset", "ultrafast")
    _build_anchor(reference, "libx265", ANCHOR_QPS, "anchor.json", *neg)
    _build_anchor(
        reference,
        "libsvtav1",
        [50, 44, 38, 32],
        "anchor_svtav1.json",
        "--vmaf-model",
        "vmaf_v0.6.1neg",
        "--preset",
        "12",
    )
    return reference


def _reference_bd_rate(anchor: list[dict], points: list[dict], key: str) -> float:
    """The bjontegaard package's BD-rate on ``key`` (PCHIP, no overlap rule)."""
    import bjontegaard

    return float(
        bjontegaard.bd_rate(
            [p["kbps"] for p in anchor],
            [p["quality"][key] for p in anchor],
            [p["kbps"] for p in points],
            [p["quality"][key] for p in points],
            method="pchip",
            min_overlap=0,
        )
    )


def test_two_anchors_vmaf_neg_and_classes(neg_reference, tmp_path, run_evaluator):
    import bjontegaard

    reference = neg_reference
    submission = _submission(tmp_path / "sub", reference, [40, 36, 32, 28])
    config = {
        **CONFIG,
        "vmaf_model": "vmaf_v0.6.1neg",
        "bd_metric": "vmaf",
        "extra_anchors": ["anchor_svtav1.json"],
    }
    _, result = run_evaluator("video_codec_rd", submission, reference, config)
    assert result["status"] == "ok", result["error"]
    assert not [w for w in result["warnings"] if "quality definition" in w]
    svt = json.loads((reference / "anchor_svtav1.json").read_text())
    assert svt["encoder"] == "libsvtav1"
    for item in result["items"]:
        points = item["extra"]["rate_points"]
        anchor2 = svt["sequences"][item["id"]]
        expected = bjontegaard.bd_rate(
            [p["kbps"] for p in anchor2],
            [p["quality"]["vmaf"] for p in anchor2],
            [p["kbps"] for p in points],
            [p["quality"]["vmaf"] for p in points],
            method="pchip",
            min_overlap=0,
        )
        assert item["metrics"]["bd_rate_anchor2"] == pytest.approx(expected, abs=1e-9)
        # ranked on VMAF NEG: PSNR-YUV's BD-rate is reported beside it, against both anchors
        assert item["metrics"]["bd_rate_psnr_yuv_anchor2"] == pytest.approx(
            _reference_bd_rate(anchor2, points, "psnr_yuv"), abs=1e-9
        )
        assert "bd_rate_vmaf" not in item["metrics"]
        assert item["extra"]["class"] == {"seqA": "A", "seqB": "B"}[item["id"]]
        assert item["extra"]["extra_anchors"][0]["encoder"] == "libsvtav1"
    table = {row["class"]: row for row in result["plots"]["class_table"]}
    assert table["A"]["sequences"] == ["seqA"]
    by_id = {item["id"]: item for item in result["items"]}
    assert table["B"]["bd_rate_anchor2"] == by_id["seqB"]["metrics"]["bd_rate_anchor2"]
    assert result["plots"]["rd_curves"][0]["extra_anchors"][0]["encoder"] == "libsvtav1"
    # VMAF NEG of one rate point equals libvmaf's own NEG model on the same decoded frames
    fmt = SEQUENCES["seqA"]
    want = _standalone_vmaf(
        submission / "seqA" / "r1.265",
        reference / "seqA.yuv",
        fmt,
        "[0:v][1:v]libvmaf=log_path={log}:log_fmt=json:model=version=vmaf_v0.6.1neg\\\\:name=vmaf",
        tmp_path,
    )
    assert by_id["seqA"]["extra"]["rate_points"][0]["quality"]["vmaf"] == pytest.approx(
        want, abs=1e-6
    )


def test_vmaf_can_be_scaled_to_the_models_resolution(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "scaled", reference_dir, ANCHOR_QPS)
    config = {**CONFIG, "vmaf_scale_to_model": True, "bd_metric": "psnr_yuv"}
    _, result = run_evaluator("video_codec_rd", submission, reference_dir, config)
    assert result["status"] == "ok", result["error"]
    fmt = SEQUENCES["seqA"]
    scale = "scale=1920:1080:flags=bicubic"
    want = _standalone_vmaf(
        submission / "seqA" / "r1.265",
        reference_dir / "seqA.yuv",
        fmt,
        f"[0:v]{scale}[d];[1:v]{scale}[r];[d][r]libvmaf=log_path={{log}}:log_fmt=json",
        tmp_path,
    )
    seq_a = next(item for item in result["items"] if item["id"] == "seqA")
    assert seq_a["extra"]["rate_points"][0]["quality"]["vmaf"] == pytest.approx(want, abs=1e-6)
    assert "ms_ssim" in seq_a["extra"]["rate_points"][0]["quality"]


def test_psnr_ranked_track_reports_vmaf_neg_bd_rate_against_both_anchors(
    neg_reference, tmp_path, run_evaluator
):
    submission = _submission(tmp_path / "sub", neg_reference, [40, 36, 32, 28])
    config = {
        **CONFIG,
        "vmaf_model": "vmaf_v0.6.1neg",
        "bd_metric": "psnr_yuv",
        "extra_anchors": ["anchor_svtav1.json"],
    }
    _, result = run_evaluator("video_codec_rd", submission, neg_reference, config)
    assert result["status"] == "ok", result["error"]
    x265 = json.loads((neg_reference / "anchor.json").read_text())["sequences"]
    svt = json.loads((neg_reference / "anchor_svtav1.json").read_text())["sequences"]
    for item in result["items"]:
        points, metrics = item["extra"]["rate_points"], item["metrics"]
        seq = item["id"]
        assert metrics["bd_rate"] == pytest.approx(
            _reference_bd_rate(x265[seq], points, "psnr_yuv"), abs=1e-9
        )
        assert metrics["bd_rate_anchor2"] == pytest.approx(
            _reference_bd_rate(svt[seq], points, "psnr_yuv"), abs=1e-9
        )
        assert metrics["bd_rate_vmaf"] == pytest.approx(
            _reference_bd_rate(x265[seq], points, "vmaf"), abs=1e-9
        )
        assert metrics["bd_rate_vmaf_anchor2"] == pytest.approx(
            _reference_bd_rate(svt[seq], points, "vmaf"), abs=1e-9
        )
        # the ranked metric is not repeated under a second name
        assert "bd_rate_psnr_yuv" not in metrics
        assert item["extra"]["anchor"] == {"file": "anchor.json", "encoder": "libx265"}
        assert item["extra"]["vmaf_model"] == "vmaf_v0.6.1neg"
    by_id = {item["id"]: item for item in result["items"]}
    table = {row["class"]: row for row in result["plots"]["class_table"]}
    for cls, seq in (("A", "seqA"), ("B", "seqB")):
        for key in ("bd_rate", "bd_rate_anchor2", "bd_rate_vmaf", "bd_rate_vmaf_anchor2"):
            assert table[cls][key] == by_id[seq]["metrics"][key]
    assert result["metrics"]["bd_rate_vmaf"] == pytest.approx(
        (by_id["seqA"]["metrics"]["bd_rate_vmaf"] + by_id["seqB"]["metrics"]["bd_rate_vmaf"]) / 2
    )


def test_without_vmaf_no_vmaf_bd_rate_is_reported(reference_dir, tmp_path, run_evaluator):
    submission = _submission(tmp_path / "novmaf", reference_dir, [40, 36, 32, 28])
    config = {**CONFIG, "compute_vmaf": False, "compute_ms_ssim": False}
    _, result = run_evaluator("video_codec_rd", submission, reference_dir, config)
    assert result["status"] == "ok", result["error"]
    for item in result["items"]:
        assert not [k for k in item["metrics"] if k.startswith("bd_rate_vmaf")]
        assert "vmaf_model" not in item["extra"]
