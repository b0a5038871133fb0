"""The rows of each export, shared by the CSV and the PDF (one source, two renderings).

Extension points: ``REVIEW_COLUMNS`` and ``ACCEPTANCE_SOURCES`` are filled by the domains that
hold expert review and acceptance data (reviews/, acceptance/); acceptance/ gives the deadline,
milestones, reports, verdicts and the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from jiebang.acceptance import views as acceptance_views
from jiebang.auth.models import User
from jiebang.challenge_lists.models import Application, ChallengeItem
from jiebang.judging import targets
from jiebang.organisations.models import Organisation
from jiebang.teams.models import Team, TeamMember


@dataclass
class Table:
    title: dict[str, str]  # locale -> title
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# (db, applications) -> (extra column names, {application id: values}): reviewer scores
ReviewColumns = Callable[[Session, list[Application]], tuple[list[str], dict[int, list[Any]]]]
REVIEW_COLUMNS: list[ReviewColumns] = []
# (db, item) -> rows of (step, decision, by, at, note): public notice, milestones, acceptance
AcceptanceSource = Callable[[Session, ChallengeItem], list[list[Any]]]
ACCEPTANCE_SOURCES: list[AcceptanceSource] = [acceptance_views.record_rows]


def _names(db: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    ids.discard(0)
    if not ids:
        return {}
    return {r.id: r for r in db.exec(select(model).where(col(model.id).in_(ids))).all()}


def applications(db: Session, item: ChallengeItem) -> Table:
    """Every application to the item, with the reviewer-score columns the providers add."""
    apps = list(
        db.exec(
            select(Application).where(Application.item_id == item.id).order_by(col(Application.id))
        )
    )
    users = _names(db, User, {a.applicant_id for a in apps})
    units = _names(db, Organisation, {a.applicant_org_id or 0 for a in apps})
    teams = _names(db, Team, {a.team_id or 0 for a in apps})
    header = [
        "application_id", "applicant_unit", "applicant", "applicant_email", "lead_name",
        "lead_email", "members", "budget_cny", "team", "status", "missing_items", "submitted_at",
    ]  # fmt: skip
    extra: dict[int, list[Any]] = {a.id or 0: [] for a in apps}
    for provider in REVIEW_COLUMNS:
        names, values = provider(db, apps)
        header += names
        for app_id, cells in extra.items():
            cells += values.get(app_id, [""] * len(names))
    table = Table({"zh-CN": "揭榜申请", "en": "Applications"}, header)
    for a in apps:
        unit = units.get(a.applicant_org_id or 0)
        user = users.get(a.applicant_id)
        team = teams.get(a.team_id or 0)
        members = "; ".join(f"{m.get('name', '')} ({m.get('role', '')})" for m in a.members)
        table.rows.append(
            [
                a.id,
                unit.name_zh if unit else "",
                user.display_name if user else "",
                user.email if user else "",
                a.lead_name,
                a.lead_email,
                members,
                a.budget_cny if a.budget_cny is not None else "",
                team.name if team else "",
                str(a.status),
                "; ".join(a.missing_items),
                a.created_at.isoformat(),
                *extra[a.id or 0],
            ]
        )
    return table


def participants(db: Session, contest_id: int) -> Table:
    """Every member of every team of the contest."""
    rows = db.exec(
        select(Team, TeamMember, User)
        .join(TeamMember, col(TeamMember.team_id) == Team.id)
        .join(User, col(User.id) == TeamMember.user_id)
        .where(Team.contest_id == contest_id)
        .order_by(col(Team.id), col(TeamMember.joined_at))
    ).all()
    header = ["team_id", "team", "approved", "user_id", "name", "email", "captain", "joined_at"]
    table = Table({"zh-CN": "参赛名单", "en": "Participants"}, header)
    for team, member, user in rows:
        table.rows.append(
            [
                team.id, team.name, team.approved, user.id, user.display_name, user.email,
                user.id == team.captain_id, member.joined_at.isoformat(),
            ]
        )  # fmt: skip
    return table


def acceptance(db: Session, item: ChallengeItem) -> Table:
    """The item's technical targets and the verified track scores that meet or miss them,
    then the steps the acceptance sources record (notice, milestones, 验收 decision)."""
    header = ["record", "target_or_step", "team_or_decision", "met", "value", "detail"]
    table = Table({"zh-CN": "验收记录", "en": "Acceptance record"}, header)
    for r in targets.targets_met(db=db, item=item):
        table.rows.append(
            [
                "target",
                f"{r.metric} {r.comparator} {r.threshold:g} {r.unit}".strip(),
                r.team_name,
                r.met,
                "" if r.value is None else r.value,
                f"submission {r.submission_id}" if r.submission_id else "",
            ]
        )
    awarded = [a for a in applications(db, item).rows if a[9] == "awarded"]
    for row in awarded:
        table.rows.append(["appointed", f"application {row[0]}", row[1] or row[2], "", "", ""])
    for source in ACCEPTANCE_SOURCES:
        table.rows += source(db, item)
    return table
