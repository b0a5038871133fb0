"""Imports every table so that metadata (Alembic, tests) sees the whole schema."""

from jiebang.acceptance.models import (
    AcceptanceDecision,
    AcceptancePlan,
    Milestone,
    MilestoneReport,
    ReportVerdict,
)
from jiebang.appointments.models import NoticeAppointee, Objection, PublicNotice
from jiebang.artifacts.models import ScoringProgram
from jiebang.auth.models import User
from jiebang.challenge_lists.models import (
    Application,
    ChallengeItem,
    ChallengeList,
    ChallengeTarget,
)
from jiebang.contests.models import Contest, Phase, Track
from jiebang.evaluation.models import EvaluationJob, FaultRelease, Score, WorkerHeartbeat
from jiebang.fact_sheets.models import FactSheetAnswers
from jiebang.feed.models import StreamTicket
from jiebang.integrity.models import Fingerprint
from jiebang.judging.models import AuditLog, SubmissionReview
from jiebang.leaderboards.models import ResultVersion
from jiebang.notifications.models import EmailMessage, Notification, NotificationPreference
from jiebang.ops.models import ReadinessProbe
from jiebang.organisations.models import Membership, Organisation, RoleGrant
from jiebang.phase_migration.models import MigratedSubmission, PhaseMigration
from jiebang.readiness.models import TrackCheck
from jiebang.reviews.models import Criterion, ReviewerAssignment, ReviewSheet, Rubric
from jiebang.runtimes.models import RuntimeBuild
from jiebang.staged_uploads.models import StagedUpload
from jiebang.storage.models import StoredObject
from jiebang.submissions.models import QuotaCounter, Submission, SubmissionEvent
from jiebang.teams.models import Team, TeamMember

__all__ = [
    "AcceptanceDecision",
    "AcceptancePlan",
    "Application",
    "AuditLog",
    "ChallengeItem",
    "ChallengeList",
    "ChallengeTarget",
    "Contest",
    "Criterion",
    "EmailMessage",
    "EvaluationJob",
    "FactSheetAnswers",
    "FaultRelease",
    "Fingerprint",
    "Membership",
    "MigratedSubmission",
    "Milestone",
    "MilestoneReport",
    "NoticeAppointee",
    "Notification",
    "NotificationPreference",
    "Objection",
    "Organisation",
    "Phase",
    "PhaseMigration",
    "PublicNotice",
    "QuotaCounter",
    "ReadinessProbe",
    "ReportVerdict",
    "ResultVersion",
    "ReviewSheet",
    "ReviewerAssignment",
    "RoleGrant",
    "Rubric",
    "RuntimeBuild",
    "Score",
    "ScoringProgram",
    "StagedUpload",
    "StoredObject",
    "StreamTicket",
    "Submission",
    "SubmissionEvent",
    "SubmissionReview",
    "Team",
    "TeamMember",
    "Track",
    "TrackCheck",
    "User",
    "WorkerHeartbeat",
]
