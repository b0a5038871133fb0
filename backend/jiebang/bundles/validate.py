"""Checking a bundle directory: YAML, schema, cross-references, evaluators and data checksums."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jiebang.bundles.data import check_manifest
from jiebang.bundles.loader import Document, Problem, read_document, validate_model
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE, ChallengeListBundle, ContestBundle
from jiebang.evaluation import registry

_FIELD_KEY = {"evaluator_key": "key", "evaluator_version": "version", "evaluator_config": "config"}


@dataclass
class LoadedBundle:
    """A bundle directory as models, with everything found wrong in it."""

    root: Path
    challenge_list: ChallengeListBundle | None = None
    contest: ContestBundle | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_bundle(root: Path, *, check_data: bool = True) -> LoadedBundle:
    """Read and check ``root``; ``problems`` lists every issue found, sorted by file and line."""
    bundle = LoadedBundle(root=root)
    if not root.is_dir():
        bundle.problems.append(Problem(str(root), 0, "", "not a directory"))
        return bundle
    docs: dict[str, Document] = {}
    for name in (LIST_FILE, CONTEST_FILE):
        if (root / name).is_file():
            doc, problems = read_document(root / name, name=name)
            bundle.problems += problems
            if doc is not None:
                docs[name] = doc
    if not (root / LIST_FILE).is_file() and not (root / CONTEST_FILE).is_file():
        bundle.problems.append(
            Problem(str(root), 0, "", f"neither {LIST_FILE} nor {CONTEST_FILE} found")
        )
    if LIST_FILE in docs:
        bundle.challenge_list, problems = validate_model(docs[LIST_FILE], ChallengeListBundle)
        bundle.problems += problems
    if CONTEST_FILE in docs:
        bundle.contest, problems = validate_model(docs[CONTEST_FILE], ContestBundle)
        bundle.problems += problems
    if bundle.contest is not None:
        bundle.problems += _contest_problems(root, bundle.contest, docs[CONTEST_FILE], check_data)
    if bundle.challenge_list is not None:
        bundle.problems += _target_problems(bundle.challenge_list, bundle.contest, docs[LIST_FILE])
    bundle.problems.sort()
    return bundle


def _metric_keys(evaluator_key: str) -> set[str]:
    spec = registry.describe(evaluator_key) or {}
    return {metric["key"] for metric in spec.get("metrics", [])}


def _contest_problems(
    root: Path, contest: ContestBundle, doc: Document, check_data: bool
) -> list[Problem]:
    problems: list[Problem] = []
    for t, track in enumerate(contest.tracks):
        base = ("tracks", t)
        ev = track.evaluator
        issue = registry.check_track_config(key=ev.key, version=ev.version, config=ev.config)
        if issue is not None:
            problems.append(
                doc.problem((*base, "evaluator", _FIELD_KEY.get(issue[0], issue[0])), issue[1])
            )
            continue
        metrics = _metric_keys(ev.key)
        for c, column in enumerate(track.leaderboard.columns):
            if column not in metrics:
                problems.append(
                    doc.problem(
                        (*base, "leaderboard", "columns", c), _unknown(column, ev.key, metrics)
                    )
                )
        if track.leaderboard.sort_by is not None and track.leaderboard.sort_by not in metrics:
            problems.append(
                doc.problem(
                    (*base, "leaderboard", "sort_by"),
                    _unknown(track.leaderboard.sort_by, ev.key, metrics),
                )
            )
        if check_data and track.public_data is not None:
            problems += check_manifest(root, track.public_data, doc, (*base, "public_data"))
        for p, phase in enumerate(track.phases):
            if check_data and phase.reference is not None:
                problems += check_manifest(
                    root, phase.reference, doc, (*base, "phases", p, "reference")
                )
    return problems


def _unknown(metric: str, evaluator_key: str, metrics: set[str]) -> str:
    return f"{metric!r} is not a metric of {evaluator_key} (it has {', '.join(sorted(metrics))})"


def _target_problems(
    challenge_list: ChallengeListBundle, contest: ContestBundle | None, doc: Document
) -> list[Problem]:
    """Targets naming this bundle's contest must name one of its tracks and a metric it reports."""
    problems: list[Problem] = []
    tracks = {track.slug: track for track in contest.tracks} if contest is not None else {}
    for i, item in enumerate(challenge_list.items):
        for t, target in enumerate(item.targets):
            if target.track is None or contest is None:
                continue
            contest_slug, _, track_slug = target.track.partition("/")
            if contest_slug != contest.slug:
                continue  # another contest: checked against the database at import
            key = ("items", i, "targets", t)
            track = tracks.get(track_slug)
            if track is None:
                problems.append(
                    doc.problem(
                        (*key, "track"), f"contest {contest_slug} has no track {track_slug!r}"
                    )
                )
                continue
            metrics = _metric_keys(track.evaluator.key)
            if metrics and target.metric not in metrics:
                problems.append(
                    doc.problem(
                        (*key, "metric"), _unknown(target.metric, track.evaluator.key, metrics)
                    )
                )
    return problems
