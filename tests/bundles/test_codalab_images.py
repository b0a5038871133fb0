"""Which runtime a CodaLab v1.5 bundle's programs get: its ``competition_docker_image``, else
CodaLab's old default image ``codalab/codalab-legacy:py2`` where that is mapped, else the
platform's (as before the mapping existed). Conversion only: no sandbox, no database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from jiebang.bundles.formats import codabench
from jiebang.bundles.formats.codabench_read import COMPETITION_FILE
from jiebang.bundles.loader import read_document
from jiebang.core import safe_yaml

from . import codabench_support as cb

PY2 = {"kind": "oci", "archive_digest": "sha256:" + "a" * 64}
PY37 = {"kind": "python", "version": "3.11", "requirements": []}


def _runtimes(root: Path, images: dict[str, Any], *, extra: str = "") -> list[dict[str, Any]]:
    bundle = cb.v15_bundle(root / "bundle")
    if extra:
        path = bundle / COMPETITION_FILE
        path.write_text(extra + path.read_text())
    doc, problems = read_document(
        bundle / COMPETITION_FILE, name=COMPETITION_FILE, budget=safe_yaml.CODABENCH_BUDGET
    )
    assert doc is not None, problems
    out = codabench.convert(bundle, root / "staging", doc, images)
    assert not out.problems, out.problems
    return [
        yaml.safe_load(p.read_text())["runtime"]
        for p in sorted((root / "staging" / "scoring_programs").glob("*/scorer.yaml"))
    ]


def test_a_v15_bundle_naming_no_image_runs_in_the_mapped_python2_default(tmp_path: Path) -> None:
    images = {"": {"kind": "platform"}, codabench.LEGACY_DEFAULT_IMAGE: PY2}
    assert _runtimes(tmp_path, images) == [PY2]


def test_without_that_mapping_it_keeps_the_platform_runtime(tmp_path: Path) -> None:
    assert _runtimes(tmp_path, {"": {"kind": "platform"}}) == [{"kind": "platform"}]


def test_competition_docker_image_is_read_as_the_v15_image(tmp_path: Path) -> None:
    images = {"": {"kind": "platform"}, "codalab/codalab-legacy:py37": PY37}
    images[codabench.LEGACY_DEFAULT_IMAGE] = PY2
    extra = "competition_docker_image: codalab/codalab-legacy:py37\n"
    assert _runtimes(tmp_path, images, extra=extra) == [PY37]


def test_the_submission_runner_is_started_by_python3_else_python() -> None:
    command = yaml.safe_load(codabench.RUNNER_METADATA)["command"]
    assert command == 'exec "$(command -v python3 || command -v python)" run_submission.py'
