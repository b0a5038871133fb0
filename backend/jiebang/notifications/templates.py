"""A template per kind and locale: the inbox title/body and the email subject/body.

Placeholders are filled from the event's data with ``str.format_map``; a missing value reads
as empty rather than failing, so a template never stops a notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


# kind -> locale -> (title, body)
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "submission.failed": {
        "zh-CN": (
            "提交 #{submission_id} 评测失败",
            "你的队伍的提交 #{submission_id} 评测失败，请查看提交详情。",
        ),
        "en": (
            "Submission #{submission_id} failed",
            "Your team's submission #{submission_id} failed to evaluate; see its details.",
        ),
    },
    "submission.rescored": {
        "zh-CN": (
            "提交 #{submission_id} 已重新评分",
            "提交 #{submission_id} 已重新评测并得到新的分数。",
        ),
        "en": (
            "Submission #{submission_id} re-scored",
            "Submission #{submission_id} was evaluated again and has a new score.",
        ),
    },
    "results.published": {
        "zh-CN": ("成绩已发布", "你参加的阶段公布了第 {version} 版成绩。"),
        "en": ("Results published", "Version {version} of the results of your phase is published."),
    },
    "team.member_joined": {
        "zh-CN": ("新成员加入队伍", "{member} 通过邀请码加入了你的队伍 {team}。"),
        "en": (
            "A member joined your team",
            "{member} joined your team {team} with the invite code.",
        ),
    },
    "team.approved": {
        "zh-CN": ("队伍已通过审核", "你的队伍 {team} 已通过组织方审核，可以提交作品。"),
        "en": ("Team approved", "Your team {team} was approved by the organisers and may submit."),
    },
    "application.returned": {
        "zh-CN": (
            "揭榜申请被退回",
            "你对榜单项目 {item} 的申请未通过形式审查，缺少：{missing}。请在截止前补充后重新提交。",
        ),
        "en": (
            "Application returned",
            "Your application for item {item} was returned at the formal check; missing: {missing}. Amend and resubmit before the deadline.",
        ),
    },
    "application.shortlisted": {
        "zh-CN": ("揭榜申请入围", "你对榜单项目 {item} 的申请已入围。"),
        "en": ("Application shortlisted", "Your application for item {item} is shortlisted."),
    },
    "application.reviewed": {
        "zh-CN": ("揭榜申请已完成专家评审", "你对榜单项目 {item} 的申请已完成专家评审。"),
        "en": (
            "Application reviewed",
            "The expert review of your application for item {item} is complete.",
        ),
    },
    "application.appointed": {
        "zh-CN": ("揭榜挂帅", "你的单位被确定为榜单项目 {item} 的挂帅单位。"),
        "en": ("Appointed", "Your unit is appointed to lead item {item}."),
    },
    "objection.filed": {
        "zh-CN": ("公示期收到异议", "榜单项目 {item} 的公示收到一项异议，请及时答复。"),
        "en": (
            "Objection filed",
            "An objection was filed against the public notice of item {item}; please answer it.",
        ),
    },
    "objection.answered": {
        "zh-CN": ("异议已答复", "你对榜单项目 {item} 公示提出的异议已得到答复。"),
        "en": (
            "Objection answered",
            "Your objection to the public notice of item {item} has been answered.",
        ),
    },
    "milestone.due": {
        "zh-CN": (
            "里程碑 7 天后到期",
            "榜单项目 {item} 的里程碑「{milestone}」将于 {due} 到期，请按时提交报告。",
        ),
        "en": (
            "Milestone due in 7 days",
            'Milestone "{milestone}" of item {item} is due on {due}; please upload its report.',
        ),
    },
    "milestone.report_submitted": {
        "zh-CN": (
            "节点报告已提交",
            "榜单项目 {item} 的节点「{milestone}」已提交报告，请评审并给出结论。",
        ),
        "en": (
            "Milestone report submitted",
            'A report on milestone "{milestone}" of item {item} was submitted; please review it.',
        ),
    },
    "acceptance.decided": {
        "zh-CN": ("验收结论", "榜单项目 {item} 的验收结论：{decision}。"),
        "en": ("Acceptance decided", "The acceptance decision for item {item}: {decision}."),
    },
    "message": {
        "zh-CN": ("{subject}", "{body}"),
        "en": ("{subject}", "{body}"),
    },
}
KINDS = tuple(TEMPLATES)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(kind: str, locale: str, data: dict[str, Any]) -> Rendered:
    """The title and body of a kind in a locale (English when the locale has none)."""
    by_locale = TEMPLATES.get(kind) or TEMPLATES["message"]
    title, body = by_locale.get(locale) or by_locale["en"]
    values = _Blank({k: _localised(v, locale) for k, v in data.items()})
    return Rendered(title.format_map(values), body.format_map(values))


def _localised(value: Any, locale: str) -> Any:
    """A ``{"zh-CN": ..., "en": ...}`` value in the locale; lists joined; others as they are."""
    if isinstance(value, dict) and ("en" in value or "zh-CN" in value):
        return value.get(locale) or value.get("en") or ""
    if isinstance(value, list | tuple):
        return "、".join(map(str, value)) if locale == "zh-CN" else ", ".join(map(str, value))
    return value
