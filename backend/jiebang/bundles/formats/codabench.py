"""Codabench bundles (v2 ``competition.yaml`` and CodaLab v1.5) mapped onto a Jiebang bundle.

The competition becomes a ``contest.yaml`` and every task's scoring program a command scorer
under ``scoring_programs/`` in a staging folder; the Jiebang format then validates and imports
it, so import logic exists once (:mod:`jiebang.bundles.formats`). Codabench's run-time
contract (``/app/input/ref``, ``/app/input/res``, ``/app/output``, scores.json|scores.txt)
is kept by the worker for programs whose manifest says ``contract: codabench``.

Where Codabench has no exact equivalent (docs/bundles.md): ``Force_Last`` and
``Force_Latest_Multiple`` rank the latest submission, ``Force_Best`` the best, ``Add*`` rules
the team's selected ones; a last phase without an end ends at :data:`NO_END`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from jiebang.bundles.data import checksum_text, files_under
from jiebang.bundles.formats import codabench_read as cb
from jiebang.bundles.formats.codabench_names import migrations, phase_slug, slugify, track_slugs
from jiebang.bundles.formats.codabench_pages import pages_text
from jiebang.bundles.loader import Document, Key, Problem
from jiebang.submissions.archives import ArchiveLimits, ArchivePolicy, ArchiveRejected

NO_END = datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)
RULES = {
    "force_last": "latest",
    "force_latest_multiple": "latest",
    "force_best": "best",
    "add": "selected",
    "add_and_delete": "selected",
    "add_and_delete_multiple": "selected",
}
PLACEHOLDERS = {
    "$submission_program": "/app/ingested_program",
    "$predictions": "/app/input/res",
    "$program": "/app/program",
    "$hidden": "/app/input/ref",
    "$shared": "/app/shared",
    "$output": "/app/output",
    "$input": "/app/input",
}
PROGRAM_FILES = ("metadata.yaml", "metadata.yml", "metadata")
# CodaLab's old default image (Python 2; codalab/codalab-dockers README): a v1.5 bundle without
# competition_docker_image runs in its runtime where JIEBANG_CODABENCH_IMAGE_RUNTIMES maps it
LEGACY_DEFAULT_IMAGE = "codalab/codalab-legacy:py2"
DEFAULT_POLICY = ArchivePolicy(ArchiveLimits(max_files=100_000, max_unpacked_bytes=16 * 1024**3))


class _NoAliases(yaml.SafeDumper):
    """Shared values written out in full: the platform's YAML loader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def rewrite_placeholders(command: str) -> str:
    """Legacy ``$input``/``$output``/… replaced by the paths Codabench mounts them at."""
    return re.sub(
        r"\$(submission_program|predictions|program|hidden|shared|output|input)\b",
        lambda m: PLACEHOLDERS["$" + m.group(1)],
        command,
    )


@dataclass
class Converted:
    """The staging Jiebang bundle, plus what the import should know beyond it."""

    staging: Path
    contest_slug: str = ""
    samples: dict[str, Path] = field(default_factory=dict)  # track slug -> solution folder
    # (track, phase) migrating from (track, phase) when it opens: auto_migrate_to_this_phase
    migrations: list[tuple[str, str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Builder:
    def __init__(self, root: Path, staging: Path, doc: Document, images: dict[str, Any]) -> None:
        self.root, self.staging, self.doc, self.images = root, staging, doc, images
        self.out = Converted(staging)
        self.unpacked: dict[str, Path] = {}

    def bad(self, key: Key, message: str) -> None:
        self.out.problems.append(self.doc.problem(key, message))

    def resource(self, rel: str | None, key: Key, what: str) -> Path | None:
        """The folder ``rel`` names: itself, or a zip inside the bundle unpacked safely."""
        if not rel:
            return None
        path = (self.root / str(rel).strip().rstrip("/")).resolve()
        if not path.is_relative_to(self.root.resolve()):
            self.bad(key, f"{rel!r} lies outside the bundle")
            return None
        if path.is_dir():
            return path
        if not path.is_file() and path.suffix == ".zip" and path.with_suffix("").is_dir():
            return path.with_suffix("")  # an unzipped bundle: program.zip left as program/
        if not path.is_file():
            self.bad(key, f"{what} {rel!r} is not in the bundle")
            return None
        if str(path) in self.unpacked:
            return self.unpacked[str(path)]
        dest = self.staging / "unpacked" / f"{len(self.unpacked)}-{path.stem}"
        try:
            DEFAULT_POLICY.extract(path, dest, filename=path.name)
        except ArchiveRejected as exc:
            self.bad(key, f"{rel}: {exc}")
            return None
        children = [c for c in dest.iterdir() if not c.name.startswith(("__MACOSX", "."))]
        if len(children) == 1 and children[0].is_dir() and what != "data":
            dest = children[0]
        self.unpacked[str(path)] = dest
        return dest

    def command_of(self, program: Path, key: Key) -> str | None:
        for name in PROGRAM_FILES:
            if (program / name).is_file():
                try:
                    from jiebang.core import safe_yaml

                    data = safe_yaml.read_document(program / name, name=name).data
                except safe_yaml.YAMLRefused as exc:
                    self.bad(key, f"{name}:{exc.line}: {exc.message}")
                    return None
                command = data.get("command") if isinstance(data, dict) else None
                if not command:
                    self.bad(key, f"{name} has no command")
                    return None
                return rewrite_placeholders(str(command))
        self.bad(key, "the program has no metadata.yaml (or metadata) naming its command")
        return None

    @property
    def warned_before(self) -> bool:
        return any("docker image" in w for w in self.out.warnings)

    def runtime(self, comp: cb.Competition) -> dict[str, Any]:
        image = comp.docker_image
        if not image and comp.version == "1.5" and LEGACY_DEFAULT_IMAGE in self.images:
            image = LEGACY_DEFAULT_IMAGE  # what CodaLab ran a v1.5 bundle naming no image in
        if not image or image in self.images:
            return dict(self.images.get(image) or {"kind": "platform"})
        if self.warned_before:
            return {"kind": "python", "version": "3.11", "requirements": []}
        self.out.warnings.append(
            f"warning: docker image {image!r} has no runtime in JIEBANG_CODABENCH_IMAGE_RUNTIMES; "
            "the scoring program gets a python 3.11 runtime without requirements — edit it / "
            f"警告：镜像 {image!r} 未配置运行环境，已使用 python 3.11（无依赖），请修改"
        )
        return {"kind": "python", "version": "3.11", "requirements": []}


def _metrics(board: cb.Leaderboard) -> list[dict[str, Any]]:
    return [
        {
            "key": column.key,
            "direction": "higher" if column.higher_is_better else "lower",
            "label_zh": column.title[:100],
            "label_en": column.title[:100],
            "precision": max(0, min(column.precision, 12)),
        }
        for column in board.columns
    ]


def _folder_digest(folder: Path, extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for rel in files_under(folder):
        digest.update(rel.encode() + b"\0" + (folder / rel).read_bytes() + b"\0")
    return digest.hexdigest()


RUNNER = Path(__file__).with_name("codalab_submission_runner.py")
# python3 where the runtime has it, else python: a v1.5 phase may run on a Python 2.7 image
RUNNER_METADATA = (
    "command: 'exec \"$(command -v python3 || command -v python)\" run_submission.py'\n"
)


def _codalab_submission_runner(b: _Builder, task: cb.Task) -> Path:
    """A v1.5 phase taking code gets the platform's ingestion program that runs a
    submission's own ``metadata`` command, as CodaLab v1.5 did (results pass through)."""
    folder = b.staging / "codalab-runner" / f"task-{task.index}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RUNNER, folder / "run_submission.py")
    (folder / "metadata.yaml").write_text(RUNNER_METADATA)
    return folder


def _program(
    b: _Builder, comp: cb.Competition, task: cb.Task, board: cb.Leaderboard, slug: str
) -> tuple[str, str, str] | None:
    """Write the task's command scorer; (key, version, submission kind) or None."""
    key = "cb_" + re.sub(r"[^a-z0-9]+", "_", slug)[:50].strip("_") + f"_t{task.index}"
    scoring = b.resource(task.scoring_program, (*task.key, "scoring_program"), "scoring program")
    ingestion = b.resource(
        task.ingestion_program, (*task.key, "ingestion_program"), "ingestion program"
    )
    if scoring is None:
        return None
    if ingestion is None and task.code_submissions:
        ingestion = _codalab_submission_runner(b, task)
    score_cmd = b.command_of(scoring, (*task.key, "scoring_program"))
    ingest_cmd = b.command_of(ingestion, (*task.key, "ingestion_program")) if ingestion else None
    if score_cmd is None or (ingestion is not None and ingest_cmd is None):
        return None
    folder = b.staging / "scoring_programs" / key
    shutil.copytree(scoring, folder / "scoring", dirs_exist_ok=True)
    if ingestion is not None:
        shutil.copytree(ingestion, folder / "ingestion", dirs_exist_ok=True)
    columns = [
        {
            "key": c.key,
            "index": c.index,
            "computation": c.computation,
            "computation_indexes": c.computation_indexes,
        }
        for c in board.columns
    ]
    manifest: dict[str, Any] = {
        "key": key,
        "title_zh": f"{comp.title} — {task.name}"[:200],
        "title_en": f"{comp.title} — {task.name}"[:200],
        "command": ["/bin/sh", "-c", score_cmd],
        "metrics": _metrics(board),
        "runtime": b.runtime(comp),
        "contract": "codabench",
        "codabench": {
            "columns": columns,
            "ingestion_command": ingest_cmd,
            "detailed_results": comp.enable_detailed_results,
            "docker_image": comp.docker_image,
        },
    }
    manifest["version"] = "cb-" + _folder_digest(folder, repr(sorted(manifest.items())))[:12]
    (folder / "scorer.yaml").write_text(yaml.safe_dump(manifest, sort_keys=True))
    return key, manifest["version"], "code" if ingestion is not None else "results"


def _data(b: _Builder, task: cb.Task, name: str) -> dict[str, str] | None:
    """The phase's hidden data: reference under ``ref/``, ingestion input under ``inputs/``."""
    ref = b.resource(task.reference_data, (*task.key, "reference_data"), "data")
    inputs = b.resource(task.input_data, (*task.key, "input_data"), "data")
    if ref is None and inputs is None:
        return None
    folder = b.staging / "data" / name
    if ref is not None:
        shutil.copytree(ref, folder / "ref", dirs_exist_ok=True)
    if inputs is not None:
        shutil.copytree(inputs, folder / "inputs", dirs_exist_ok=True)
    return _manifest(b, folder, name)


def _manifest(b: _Builder, folder: Path, name: str) -> dict[str, str]:
    (b.staging / "data" / f"{name}.sha256").write_text(checksum_text(folder))
    return {"dir": f"data/{name}", "checksums": f"data/{name}.sha256"}


SAMPLE_FOLDERS = {"code": "sample_code_submission", "results": "sample_result_submission"}


def _conventional_sample(b: _Builder, kind: str) -> Path | None:
    """Without ``solutions``, the starting kit's conventional sample folder (Codabench's
    templates ship ``sample_code_submission/`` and ``sample_result_submission/``)."""
    folder = (b.root / SAMPLE_FOLDERS[kind]).resolve()
    if not folder.is_dir() or not folder.is_relative_to(b.root.resolve()):
        return None
    b.out.warnings.append(
        f"warning: no solutions in competition.yaml: {SAMPLE_FOLDERS[kind]}/ is the sample "
        f"submission / 未列出 solutions：以 {SAMPLE_FOLDERS[kind]}/ 作为样例提交"
    )
    return folder


def convert(root: Path, staging: Path, doc: Document, images: dict[str, Any]) -> Converted:
    """Write the Jiebang bundle equivalent to the Codabench bundle at ``root`` into ``staging``."""
    b = _Builder(root, staging, doc, images)
    comp, problems = cb.read_competition(doc)
    b.out.problems += problems
    if comp is None:
        return b.out
    slug = slugify(comp.title, "codabench")
    b.out.contest_slug = slug
    board = sorted(comp.leaderboards, key=lambda x: x.index)[0]
    rule = RULES.get(board.submission_rule.strip().lower(), "latest")
    if board.submission_rule.strip().lower() not in RULES:
        b.out.warnings.append(
            f"warning: submission_rule {board.submission_rule!r} is read as the latest "
            "submission / 未知的提交规则，按最新提交排名"
        )
    tracks, slugs = [], track_slugs(comp)
    b.out.migrations = migrations(comp, slugs)
    for task in sorted(comp.tasks, key=lambda t: t.index):
        track_slug = slugs[task.index]
        made = _program(b, comp, task, board, f"{slug}_{track_slug}")
        data = _data(b, task, f"task-{task.index}")
        phases = [p for p in comp.phases if task.index in p.tasks]
        if made is None or not phases:
            continue
        key, version, kind = made
        track: dict[str, Any] = {
            "slug": track_slug,
            "title_zh": task.name[:200] or track_slug,
            "title_en": task.name[:200] or track_slug,
            "description_zh": task.description,
            "description_en": task.description,
            "evaluator": {"key": key, "version": version, "config": {}},
            "submission_kind": kind,
            "time_limit_seconds": max(1, min(max(p.execution_time_limit for p in phases), 86400)),
            "leaderboard": {
                "columns": [c.key for c in board.columns if not c.hidden],
                "sort_by": board.columns[0].key,
                "codabench": {
                    "hidden": [c.key for c in board.columns if c.hidden],
                    "auto_migrate": [p.index for p in phases if p.auto_migrate],
                    "fact_sheet": comp.fact_sheet,
                },
            },
            "phases": [],
        }
        public = next(
            (p.public_data or p.starting_kit for p in phases if p.public_data or p.starting_kit),
            None,
        )
        public_dir = b.resource(public, ("phases",), "data") if public else None
        if public_dir is not None:
            shutil.copytree(
                public_dir, staging / "data" / f"public-{task.index}", dirs_exist_ok=True
            )
            track["public_data"] = _manifest(
                b, staging / "data" / f"public-{task.index}", f"public-{task.index}"
            )
        ordered = sorted(comp.phases, key=lambda p: p.start)
        for phase in phases:
            later = [p.start for p in ordered if p.start > phase.start]
            end = phase.end or (NO_END if not later else later[0])
            track["phases"].append(
                {
                    "slug": phase_slug(phase, phases),
                    "title_zh": phase.name[:200],
                    "title_en": phase.name[:200],
                    "starts_at": phase.start,
                    "ends_at": end,
                    "quotas": {
                        "daily": min(max(phase.max_submissions_per_day, 0), 1000),
                        "total": min(max(phase.max_submissions, 0), 100000),
                    },
                    "submission_rule": rule,
                    **({"reference": data} if data else {}),
                }
            )
        solution = next((s for s in comp.solutions if task.index in s.tasks), None)
        if solution is not None:
            found = b.resource(solution.path, (*solution.key, "path"), "solution")
            if found is not None:
                b.out.samples[track_slug] = found
        elif (fallback := _conventional_sample(b, kind)) is not None:
            b.out.samples[track_slug] = fallback
        tracks.append(track)
    if b.out.problems:
        return b.out
    first = min(p.start for p in comp.phases)
    pages = pages_text(b.root, comp, b.out.warnings)
    contest = {
        "slug": slug,
        "title_zh": comp.title[:200],
        "title_en": comp.title[:200],
        "edition": f"Codabench v{comp.version}",
        "year": min(max(first.year, 2000), 2100),
        "description_zh": pages,
        "description_en": pages,
        "requires_team_approval": not comp.auto_approve,
        "tracks": tracks,
    }
    (staging / "contest.yaml").write_text(
        yaml.dump(contest, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
    )
    return b.out
