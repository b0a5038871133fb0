"""`jiebang demo`: the Malanshan Cup (demo), the 2024 challenge list, three teams, scored baselines.

Idempotent: data are regenerated only when missing or stale, the bundle import changes nothing the
second time, users and teams are matched by e-mail and contest, and a team's baseline is submitted
only if it has no submission in that phase yet. Baselines go through the real submission service
(start, upload, complete) and are scored by a worker this command runs itself over the same API.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from jiebang.auth import service as user_service
from jiebang.auth.models import Role, User, UserCreate
from jiebang.auth.security import create_access_token
from jiebang.bundles import trackdata
from jiebang.bundles.importer import import_bundle
from jiebang.bundles.validate import load_bundle
from jiebang.config import get_settings
from jiebang.contests.models import Contest, Phase, Track
from jiebang.db import get_engine
from jiebang.demo import acceptance_states, baselines, cycle_states, edition2023
from jiebang.demo.data import build_bundle
from jiebang.demo.targets import targets_table
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.submissions.models import Submission
from jiebang.teams import service as team_service
from jiebang.worker.client import WorkerAPI
from jiebang.worker.pipeline import process

CONTEST = "malanshan-demo"
PASSWORD = "jiebang-demo-2024"  # noqa: S105 - published demo logins, development mode only
USERS = [
    ("organiser@demo.jiebang.org", "演示组织者 Demo organiser", Role.organiser),
    ("judge@demo.jiebang.org", "演示评委 Demo judge", Role.judge),
    ("participant@demo.jiebang.org", "湘江实验室 Xiangjiang Lab", Role.participant),
    ("yuelu@demo.jiebang.org", "岳麓视觉 Yuelu Vision", Role.participant),
    ("orange-isle@demo.jiebang.org", "橘子洲智能 Orange Isle AI", Role.participant),
]
TEAM_NAMES = {
    "xiangjiang-lab": "湘江实验室 Xiangjiang Lab",
    "yuelu-vision": "岳麓视觉 Yuelu Vision",
    "orange-isle-ai": "橘子洲智能 Orange Isle AI",
}


def run(*, var_dir: Path | None = None) -> Iterator[str]:
    """Seed everything; yield printable progress lines and, last, the demo logins."""
    settings = get_settings()
    root = (var_dir or settings.var_dir) / "demo"
    bundle_dir = root / "bundle"
    fresh = build_bundle(bundle_dir)
    yield ("generated demo data in " if fresh else "demo data up to date in ") + str(bundle_dir)
    bundle = load_bundle(bundle_dir)
    if not bundle.ok:
        raise RuntimeError("demo bundle is invalid:\n" + "\n".join(map(str, bundle.problems)))
    with Session(get_engine(), expire_on_commit=False) as db:
        changes = import_bundle(db=db, store=get_store(), bundle=bundle, owner_id=None)
        yield (
            f"imported the demo bundle: {len(changes)} change(s)"
            if changes
            else "demo bundle already imported"
        )
        users = {email: _user(db, email, name, role) for email, name, role in USERS}
        contest = db.exec(select(Contest).where(Contest.slug == CONTEST)).one()
        captains = [users[email] for email, _, role in USERS if role == Role.participant]
        teams = {
            slug: _team(db, contest, captain, TEAM_NAMES[slug])
            for slug, captain in zip(baselines.TEAMS, captains, strict=True)
        }
        phases = {
            track.slug: db.exec(
                select(Phase).where(Phase.track_id == track.id).order_by(col(Phase.starts_at))
            ).first()
            for track in db.exec(select(Track).where(Track.contest_id == contest.id))
        }
    from jiebang.main import create_app

    client = TestClient(create_app())  # no lifespan: this command is the only worker
    queued, samples = 0, 0
    for track_slug, phase in phases.items():
        assert phase is not None and phase.id is not None
        for team_slug, (team_id, captain) in teams.items():
            if _has_submission(phase.id, team_id):
                continue
            name, data = baselines.baseline(
                track_slug, bundle_dir / "data" / track_slug / "public", team_slug
            )
            _submit(client, _auth(captain), phase.id, name, data)
            queued += 1
        samples += _store_sample(track_slug, bundle_dir)
    yield f"queued {queued} baseline submission(s)" if queued else "baselines already submitted"
    if samples:
        yield f"stored {samples} sample submission(s) for the Data tabs"
    scored = _drain(client, root / "work")
    if scored:
        yield f"scored {scored} evaluation job(s) through the sandboxed worker pipeline"
    yield from _edition_2023(client, root, bundle_dir, users, captains)
    yield from acceptance_states.seed(users=users, password=PASSWORD)
    yield from cycle_states.seed(client, users, _user, _auth)
    with Session(get_engine()) as db:
        yield from targets_table(db=db, contest_slug=CONTEST)
    yield ""
    yield "demo logins / 演示账号 (password / 密码: " + PASSWORD + "):"
    for email, name, role in USERS[:3]:
        yield f"  {role.value:<12} {email:<32} {name}"


SAMPLE_TEAM = "yuelu-vision"  # the plainest baseline (bicubic, x264 medium): a fair sample


def _store_sample(track_slug: str, bundle_dir: Path) -> int:
    """Keep the track's sample submission (a baseline that scores) for its Data tab."""
    with Session(get_engine(), expire_on_commit=False) as db:
        if trackdata.latest_sample(db, contest_slug=CONTEST, track_slug=track_slug):
            return 0
        _, data = baselines.baseline(
            track_slug, bundle_dir / "data" / track_slug / "public", SAMPLE_TEAM
        )
        storage_service.save_stream(
            db=db,
            store=get_store(),
            stream=io.BytesIO(data),
            filename=f"sample-{track_slug}.tar",
            prefix=trackdata.sample_prefix(CONTEST, track_slug),
            owner_id=None,
            content_type="application/x-tar",
        )
        db.commit()
    return 1


def _edition_2023(
    client: TestClient,
    root: Path,
    bundle_dir: Path,
    users: dict[str, User],
    captains: list[User],
) -> Iterator[str]:
    """The finished 2023 edition beside the running one (see edition2023)."""
    bundle_2023 = root / "bundle-2023"
    edition2023.build_bundle(bundle_2023, bundle_dir)
    teams: list[tuple[int, User]] = []

    def team_ids(contest: Contest) -> list[int]:
        with Session(get_engine(), expire_on_commit=False) as db:
            teams[:] = [
                _team(db, contest, captain, TEAM_NAMES[slug])
                for slug, captain in zip(baselines.TEAMS, captains, strict=True)
            ]
        return [team_id for team_id, _ in teams]

    def submit(phase_id: int, track_slug: str, index: int) -> None:
        public = bundle_2023 / "data" / track_slug / "public"
        name, data = baselines.baseline(track_slug, public, baselines.TEAMS[index])
        _submit(client, _auth(teams[index][1]), phase_id, name, data)

    yield from edition2023.seed(
        bundle_dir=bundle_2023,
        submit=submit,
        drain=lambda: _drain(client, root / "work"),
        judge=users["judge@demo.jiebang.org"],
        organiser=users["organiser@demo.jiebang.org"],
        team_ids=team_ids,
    )


def _user(db: Session, email: str, name: str, role: Role) -> User:
    user = user_service.get_by_email(db=db, email=email)
    if user is None:
        user = user_service.create(
            db=db, user_in=UserCreate(email=email, display_name=name, password=PASSWORD), role=role
        )
    return user


def _team(db: Session, contest: Contest, captain: User, name: str) -> tuple[int, User]:
    team = team_service.team_of(db=db, contest_id=contest.id or 0, user_id=captain.id or 0)
    if team is None:
        team = team_service.create(db=db, contest=contest, user=captain, name=name)
    return team.id or 0, captain


def _has_submission(phase_id: int, team_id: int) -> bool:
    with Session(get_engine()) as db:
        query = select(Submission.id).where(
            Submission.phase_id == phase_id, Submission.team_id == team_id
        )
        return db.exec(query).first() is not None


def _auth(user: User) -> dict[str, str]:
    settings = get_settings()
    token = create_access_token(subject=str(user.id), secret=settings.secret_key, minutes=10)
    return {"Authorization": f"Bearer {token}"}


def _submit(
    client: TestClient, headers: dict[str, str], phase_id: int, filename: str, data: bytes
) -> None:
    """Start, upload every part, complete: the calls the web client and `jiebang submit` make."""
    body = {"filename": filename, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    started = client.post(f"/api/v1/phases/{phase_id}/submissions", json=body, headers=headers)
    started.raise_for_status()
    plan = started.json()["upload"]
    parts = []
    for part in plan["parts"]:
        chunk = data[(part["number"] - 1) * plan["part_size"] : part["number"] * plan["part_size"]]
        if plan["direct"]:
            import httpx

            response = httpx.put(part["url"], content=chunk, timeout=60)
            response.raise_for_status()
            parts.append({"number": part["number"], "etag": response.headers["etag"].strip('"')})
        else:
            response = client.put(part["url"], content=chunk, headers=headers)
            response.raise_for_status()
            parts.append({"number": part["number"], "etag": response.json()["etag"]})
    submission_id = started.json()["submission"]["id"]
    client.post(
        f"/api/v1/submissions/{submission_id}/complete", json={"parts": parts}, headers=headers
    ).raise_for_status()


def _drain(client: TestClient, work: Path) -> int:
    """Evaluate every queued job through the real pipeline and sandbox; return how many ran."""
    api = WorkerAPI(client, token=get_settings().effective_worker_token, name="demo-seeder")
    (work / "scratch").mkdir(parents=True, exist_ok=True)
    (work / "cache").mkdir(parents=True, exist_ok=True)
    count = 0
    while (spec := api.claim()) is not None:
        process(spec, api=api, scratch_root=work / "scratch", cache_dir=work / "cache")
        count += 1
    return count
