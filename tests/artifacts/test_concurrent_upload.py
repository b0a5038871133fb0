"""Two identical scoring-program uploads at the same moment: one row, and the second gets it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.artifacts import service
from jiebang.artifacts.models import ScoringProgram
from jiebang.db import get_engine
from jiebang.storage.config import get_store
from tests.artifacts.support import scorer_manifest

PLATFORM = {"kind": "platform"}


def _folder(root: Path) -> Path:
    root.mkdir()
    (root / "scorer.json").write_text(json.dumps(scorer_manifest(key="race", runtime=PLATFORM)))
    (root / "score.py").write_text("print('hi')\n")
    return root


def test_the_second_of_two_simultaneous_uploads_gets_the_first(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "program")
    store = get_store()
    outcome: dict[str, object] = {}
    with Session(get_engine(), expire_on_commit=False) as first:
        # the first request has inserted its rows but not committed when the second looks
        mine, created = service.publish_folder(db=first, store=store, folder=folder, user=None)
        assert created

        def second() -> None:
            with Session(get_engine(), expire_on_commit=False) as db:
                try:
                    program, made = service.publish_folder(
                        db=db, store=store, folder=folder, user=None
                    )
                    db.commit()
                    outcome["result"] = (program.id, program.sha256, made)
                except Exception as exc:  # the test reports what went wrong
                    outcome["error"] = exc

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=1.0)  # let it reach its INSERT and wait on the first's row lock
        first.commit()
        thread.join()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"] == (mine.id, mine.sha256, False)
    with Session(get_engine()) as db:
        rows = db.exec(select(ScoringProgram).where(ScoringProgram.key == "race")).all()
        assert len(rows) == 1


def test_an_identical_upload_committed_between_the_two_look_ups_is_returned(
    client: TestClient, tmp_path: Path, monkeypatch
) -> None:
    """The window the parallel test below hits only sometimes, opened on purpose: the other
    request commits after this one found no identical content but before it checks the
    version number, so version 1 is taken — by the very same content."""
    folder = _folder(tmp_path / "program")
    store = get_store()
    real_versions = service.versions
    other: dict[str, object] = {}
    calls: list[str] = []

    def versions_after_the_other_commits(*, db: Session, key: str) -> list[ScoringProgram]:
        seen = real_versions(db=db, key=key)  # none yet: this one will number itself 1
        calls.append(key)
        if len(calls) == 2:  # the numbering look-up (the first reads the runtime's stamp)
            with Session(get_engine(), expire_on_commit=False) as elsewhere:
                program, made = service.publish_folder(
                    db=elsewhere, store=store, folder=folder, user=None
                )
                elsewhere.commit()
                other["result"] = (program.id, made)
        return seen

    monkeypatch.setattr(service, "versions", versions_after_the_other_commits)
    with Session(get_engine(), expire_on_commit=False) as db:
        program, made = service.publish_folder(db=db, store=store, folder=folder, user=None)
        db.commit()
    assert other["result"] == (program.id, True)
    assert made is False


def test_identical_uploads_in_parallel_through_the_api_never_fail(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    from tests.artifacts.support import zip_bytes

    archive = zip_bytes(
        {
            "scorer.json": json.dumps(scorer_manifest(key="race_api", runtime=PLATFORM)),
            "score.py": "print('hi')\n",
        }
    )
    barrier = threading.Barrier(3)
    codes: list[tuple[int, int | None]] = []

    def upload() -> None:
        barrier.wait()
        reply = client.post(
            "/api/v1/scoring-programs",
            files={"archive": ("program.zip", archive, "application/zip")},
            headers=organiser,
        )
        codes.append((reply.status_code, reply.json().get("id")))

    threads = [threading.Thread(target=upload) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in codes) == [200, 200, 201], codes
    assert len({pid for _, pid in codes}) == 1
