"""``jiebang bundle export --format codabench``: a contest as a Codabench v2 bundle.

Only contests imported from Codabench (tracks pinned to ``contract: codabench`` programs)
can be written back; the bundle re-imports to the same contest (same programs, versions,
data, phases and quotas). Phases of the same slug across tracks become one Codabench phase
naming every task it holds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, col, select

from jiebang.artifacts import service as artifacts
from jiebang.artifacts.packing import unpack
from jiebang.bundles.data import unpack_tar
from jiebang.bundles.formats.codabench import NO_END
from jiebang.bundles.importer import BundleRejected
from jiebang.bundles.trackdata import latest_sample
from jiebang.contests.models import Contest, Phase, Track
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject

RULE_BACK = {"latest": "Force_Last", "best": "Force_Best", "selected": "Add_And_Delete_Multiple"}


def _bytes(store: ObjectStore, obj: StoredObject) -> bytes:
    return b"".join(store.iter_chunks(obj.key))


def _date(value: Any) -> str:
    return value.isoformat()


def export_codabench(
    *, db: Session, store: ObjectStore, contest_slug: str, dest: Path
) -> list[Path]:
    """Write ``competition.yaml`` and its folders under ``dest``; the paths written."""
    contest = db.exec(select(Contest).where(Contest.slug == contest_slug)).first()
    if contest is None:
        raise BundleRejected(f"contest {contest_slug} does not exist")
    tracks = list(
        db.exec(select(Track).where(Track.contest_id == contest.id).order_by(col(Track.id)))
    )
    dest.mkdir(parents=True, exist_ok=True)
    tasks: list[dict[str, Any]] = []
    solutions: list[dict[str, Any]] = []
    phases: dict[Any, dict[str, Any]] = {}
    board: dict[str, Any] | None = None
    image, detailed = "", False
    fact_sheet: dict[str, Any] = {}
    for index, track in enumerate(tracks):
        program = artifacts.get_version(
            db=db, key=track.evaluator_key, version=track.evaluator_version
        )
        extra = (program.manifest.get("codabench") or {}) if program else {}
        if program is None or program.manifest.get("contract") != "codabench":
            raise BundleRejected(
                f"track {track.slug} does not use a Codabench scoring program; "
                "export it with --format jiebang"
            )
        image = extra.get("docker_image") or image
        for question in (track.leaderboard.get("codabench") or {}).get("fact_sheet") or []:
            fact_sheet.setdefault(question["key"], _question(question))
        detailed = detailed or bool(extra.get("detailed_results"))
        folder = dest / "programs" / f"task-{index}"
        obj = db.get(StoredObject, program.object_id)
        assert obj is not None
        with tempfile.TemporaryDirectory() as work:
            archive = Path(work) / "program.tar"
            archive.write_bytes(_bytes(store, obj))
            unpack(archive, folder)
        (folder / "scorer.yaml").unlink(missing_ok=True)
        task: dict[str, Any] = {
            "index": index,
            "name": track.title_en,
            "description": track.description_en,
            "scoring_program": f"programs/task-{index}/scoring",
        }
        if (folder / "ingestion").is_dir():
            task["ingestion_program"] = f"programs/task-{index}/ingestion"
        track_phases = list(
            db.exec(select(Phase).where(Phase.track_id == track.id).order_by(col(Phase.starts_at)))
        )
        with_data = next((p for p in track_phases if p.reference_object_id), None)
        if with_data is not None:
            ref = db.get(StoredObject, with_data.reference_object_id)
            assert ref is not None
            data = dest / "data" / f"task-{index}"
            unpack_tar(_bytes(store, ref), data)
            if (data / "ref").is_dir():
                task["reference_data"] = f"data/task-{index}/ref"
            if (data / "inputs").is_dir():
                task["input_data"] = f"data/task-{index}/inputs"
        tasks.append(task)
        sample = latest_sample(db, contest_slug=contest.slug, track_slug=track.slug)
        if sample is not None:
            unpack_tar(_bytes(store, sample), dest / "solutions" / f"task-{index}")
            solutions.append({"index": index, "tasks": [index], "path": f"solutions/task-{index}"})
        migrate = set((track.leaderboard.get("codabench") or {}).get("auto_migrate") or [])
        for number, phase in enumerate(track_phases):
            entry = phases.setdefault(
                phase.starts_at,
                {
                    "name": phase.title_en,
                    "start": _date(phase.starts_at),
                    **({} if phase.ends_at >= NO_END else {"end": _date(phase.ends_at)}),
                    "max_submissions": phase.total_quota,
                    "max_submissions_per_day": phase.daily_quota,
                    "execution_time_limit": track.time_limit_seconds,
                    "tasks": [],
                    "_migrate": False,
                },
            )
            entry["tasks"].append(index)
            entry["_migrate"] = entry["_migrate"] or number in migrate
            board = board or _board(track, program.spec, phase, extra.get("columns") or [])
    ordered = []
    for n, start in enumerate(sorted(phases)):
        entry = phases[start]
        if entry.pop("_migrate"):
            entry["auto_migrate_to_this_phase"] = True
        ordered.append({"index": n, **entry})
    competition = {
        "version": 2,
        "title": contest.title_en,
        "description": contest.description_en,
        "docker_image": image,
        "registration_auto_approve": not contest.requires_team_approval,
        "enable_detailed_results": detailed,
        "tasks": tasks,
        "solutions": solutions,
        "phases": ordered,
        "leaderboards": [board] if board else [],
        **({"fact_sheet": fact_sheet} if fact_sheet else {}),
    }
    path = dest / "competition.yaml"
    path.write_text(yaml.safe_dump(competition, sort_keys=False, allow_unicode=True))
    return [path, *sorted(p for p in dest.rglob("*") if p.is_file() and p != path)]


def _question(question: dict[str, Any]) -> dict[str, Any]:
    """A fact sheet question in Codabench's spelling."""
    return {
        "key": question["key"],
        "type": question.get("type", "text"),
        "title": question.get("title") or question["key"],
        "selection": list(question.get("options") or []),
        "is_required": str(bool(question.get("required"))).lower(),
        "is_on_leaderboard": str(bool(question.get("on_leaderboard"))).lower(),
    }


def _board(
    track: Track, spec: dict[str, Any], phase: Phase, known: list[dict[str, Any]]
) -> dict[str, Any]:
    hidden = set((track.leaderboard.get("codabench") or {}).get("hidden") or [])
    computed = {c["key"]: c for c in known if c.get("computation")}
    columns = []
    for index, metric in enumerate(spec.get("metrics", [])):
        columns.append(
            {
                "index": index,
                "title": metric["label_en"],
                "key": metric["key"],
                "sorting": "desc" if metric["direction"] == "higher" else "asc",
                "precision": metric.get("precision", 2),
                **({"hidden": True} if metric["key"] in hidden else {}),
                **(
                    {
                        "computation": computed[metric["key"]]["computation"],
                        "computation_indexes": computed[metric["key"]]["computation_indexes"],
                    }
                    if metric["key"] in computed
                    else {}
                ),
            }
        )
    return {
        "index": 0,
        "title": "Results",
        "key": "main",
        "submission_rule": RULE_BACK.get(str(phase.submission_rule), "Force_Last"),
        "columns": columns,
    }
