"""Fingerprints recorded when a submission is scored; pairs across teams read by judges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, select

from jiebang.integrity.fingerprints import MAX_FILES, metric_vector_hash
from jiebang.integrity.models import EntryRef, Fingerprint, Match, MatchKind, SimilarPair
from jiebang.submissions.models import Submission
from jiebang.teams.models import Team

MAX_MATCHES_SHOWN = 20  # per pair; files_matched still counts them all


def record_fingerprints(
    db: Session, *, sub: Submission, items: Iterable[Mapping[str, Any]]
) -> None:
    """Replace the submission's fingerprints (a re-score replaces, never adds)."""
    assert sub.id is not None
    db.exec(delete(Fingerprint).where(col(Fingerprint.submission_id) == sub.id))
    found: list[tuple[MatchKind, str, str]] = [(MatchKind.upload, sub.declared_sha256, "")]
    if sub.decoder_hash:  # code tracks: the program as a whole
        found.append((MatchKind.program, sub.decoder_hash, ""))
    else:
        hashes = sub.file_hashes or {}
        found += [(MatchKind.file, v, p[:255]) for p, v in list(hashes.items())[:MAX_FILES]]
    vector = metric_vector_hash(items)
    if vector is not None:
        found.append((MatchKind.metrics, vector, ""))
    for kind, value, label in found:
        db.add(
            Fingerprint(
                submission_id=sub.id,
                phase_id=sub.phase_id,
                team_id=sub.team_id,
                kind=str(kind),
                value=value.lower()[:64],
                label=label,
            )
        )


def similar_pairs(db: Session, *, phase_id: int) -> list[SimilarPair]:
    """Each pair of entries from different teams of the phase sharing a fingerprint."""
    a, b = aliased(Fingerprint), aliased(Fingerprint)
    rows = db.exec(
        select(a, b)
        .where(a.phase_id == phase_id, b.phase_id == phase_id)
        .where(a.kind == b.kind, a.value == b.value, a.team_id < b.team_id)
        .order_by(col(a.submission_id), col(b.submission_id), col(a.kind), col(a.id))
    ).all()
    grouped: dict[tuple[int, int], list[tuple[Fingerprint, Fingerprint]]] = {}
    for left, right in rows:
        grouped.setdefault((left.submission_id, right.submission_id), []).append((left, right))
    refs = _entry_refs(db, {sid for pair in grouped for sid in pair})
    pairs = []
    for (left_id, right_id), matched in grouped.items():
        matches = [
            Match(kind=MatchKind(x.kind), label_a=x.label, label_b=y.label, value=x.value)
            for x, y in matched[:MAX_MATCHES_SHOWN]
        ]
        files = sum(1 for x, _ in matched if x.kind == MatchKind.file)
        pairs.append(
            SimilarPair(a=refs[left_id], b=refs[right_id], matches=matches, files_matched=files)
        )
    return pairs


def _entry_refs(db: Session, ids: set[int]) -> dict[int, EntryRef]:
    if not ids:
        return {}
    rows = db.exec(
        select(Submission, Team)
        .join(Team, col(Team.id) == col(Submission.team_id))
        .where(col(Submission.id).in_(ids))
    ).all()
    return {
        sub.id or 0: EntryRef(
            submission_id=sub.id or 0,
            team_id=team.id or 0,
            team_name=team.name,
            filename=sub.filename,
        )
        for sub, team in rows
    }
