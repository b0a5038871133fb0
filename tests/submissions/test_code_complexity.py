"""Decoder complexity on a video-codec code track: the team's decoder and ffmpeg decoding the
anchor's bitstreams are timed in the same run sandbox, same limits, same job; a decoder
over the track's gate is an invalid submission whose message states both times."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable

from .helpers import drain, setup_phase, submit, tar_bytes, team_headers

SIZE, FRAMES = "128x96", 3
DECODE = b"""set -e
seq="$JIEBANG_SEQUENCE"
mkdir -p "/output/$seq"
for f in "$seq"/r*.hevc; do
  n=${f##*/}; n=${n%.hevc}
  /opt/jiebang/bin/ffmpeg -nostdin -loglevel error -y -i "$f" -f rawvideo -pix_fmt yuv420p \\
    "/output/$seq/$n.yuv"
done
"""
# a busy loop before decoding: far more CPU than two tiny HEVC decodes
SPIN = b"i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done\n"


def _ffmpeg(*args: str) -> None:
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    completed = subprocess.run([*command, *args], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr[-2000:]


def _hevc(raw: Path, out: Path, qp: int) -> bytes:
    _ffmpeg(
        *("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", SIZE, "-i", str(raw)),
        *("-c:v", "libx265", "-preset", "ultrafast", "-x265-params", f"qp={qp}:log-level=error"),
        *("-f", "hevc", str(out)),
    )
    return out.read_bytes()


@pytest.fixture(scope="module")
def codec_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Reference (sequences.json, the clip, anchor.json, the anchor's bitstreams) and the
    team's own bitstreams."""
    ref = tmp_path_factory.mktemp("complexity_ref")
    raw = ref / "seqA.yuv"
    _ffmpeg(
        *("-f", "lavfi", "-i", f"testsrc2=size={SIZE}:rate=25", "-frames:v", str(FRAMES)),
        *("-pix_fmt", "yuv420p", "-f", "rawvideo", str(raw)),
    )
    listing = {
        "sequences": [
            {"name": "seqA", "width": 128, "height": 96, "fps": "25/1"}
            | {"frames": FRAMES, "pix_fmt": "yuv420p"}
        ]
    }
    (ref / "sequences.json").write_text(json.dumps(listing))
    anchors = subprocess.run(
        [
            *(sys.executable, "-m", "jiebang_eval.anchors", "--reference", str(ref)),
            *("--encoder", "libx265", "--preset", "ultrafast", "--qp", "40", "30"),
            *("--no-vmaf", "--no-ms-ssim", "--n-threads", "1"),
            *("--keep-bitstreams", str(ref / "anchor_bitstreams")),
        ],
        capture_output=True,
        text=True,
    )
    assert anchors.returncode == 0, anchors.stderr[-2000:]
    work = tmp_path_factory.mktemp("complexity_streams")
    reference = {
        "sequences.json": (ref / "sequences.json").read_bytes(),
        "seqA.yuv": raw.read_bytes(),
        "anchor.json": (ref / "anchor.json").read_bytes(),
        **{
            f"anchor_bitstreams/seqA/{kept.name}": kept.read_bytes()
            for kept in (ref / "anchor_bitstreams" / "seqA").iterdir()
        },
    }
    team = {
        "seqA/r1.hevc": _hevc(raw, work / "t1.hevc", 38),
        "seqA/r2.hevc": _hevc(raw, work / "t2.hevc", 28),
    }
    return {"reference": reference, "team": team}


def _program(team_streams: dict[str, bytes], script: bytes) -> bytes:
    manifest = json.dumps({"entrypoint": ["/bin/sh", "decode.sh"]}).encode()
    return tar_bytes({"jiebang.json": manifest, "decode.sh": script, **team_streams})


def test_slow_decoder_fails_the_gate_and_a_normal_one_reports_its_ratio(
    client: TestClient, organiser, make_user, tmp_path: Path, codec_files
) -> None:
    track = {
        "submission_kind": "code",
        "evaluator_key": "video_codec_rd",
        "evaluator_version": "1.0.0",
        "evaluator_config": {
            "track": "decoded_yuv",
            "rate_points": 2,
            "compute_vmaf": False,
            "compute_ms_ssim": False,
            "n_threads": 1,
        },
        # 3×, not 2×: the tiny clip decodes in ~60 ms, where a process start is already noticeable
        "sandbox_limits": {"complexity": {"max_time_ratio": 3.0, "clock": "cpu"}},
    }
    ids = setup_phase(
        client,
        organiser,
        track_overrides=track,
        reference=codec_files["reference"],
        public_item_ids=["seqA"],
        private_item_ids=[],
    )
    team = team_headers(client, make_user, ids["contest"])
    normal = submit(client, team, ids["phase"], _program(codec_files["team"], DECODE), "ok.tar")
    slow = submit(
        client, team, ids["phase"], _program(codec_files["team"], SPIN + DECODE), "slow.tar"
    )
    assert drain(client, tmp_path) == 2

    failed = client.get(f"/api/v1/submissions/{slow.json()['id']}", headers=team).json()
    assert failed["status"] == "failed" and failed["failure_category"] == "submission"
    message = failed["failure_message"]
    assert "decoding seqA took" in message and "the anchor decoder's" in message, message
    assert "over the track's limit of 3×" in message

    scored = client.get(f"/api/v1/submissions/{normal.json()['id']}", headers=team).json()
    assert scored["status"] == "scored", scored.get("failure_message")
    scores = scored["scores"]
    assert 0 < scores["dec_time_ratio"] <= 3.0
    assert scores["dec_cpu_s"] > 0 and scores["dec_wall_s"] > 0
    assert scores["decoder_bytes"] == len(DECODE) + len(
        json.dumps({"entrypoint": ["/bin/sh", "decode.sh"]})
    )
    assert "bd_rate" in scores
