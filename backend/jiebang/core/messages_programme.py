"""Messages of the 揭榜挂帅 programme: units, applications, expert review, public notice,
milestones and acceptance. key -> (en, zh-CN); parameters use str.format names."""

PROGRAMME: dict[str, tuple[str, str]] = {
    "credit_code_invalid": (
        "Not a valid unified social credit code (GB 32100-2015 check character)",
        "统一社会信用代码无效（不符合 GB 32100-2015 校验码）",
    ),
    "role_not_grantable": ("The role {role} cannot be granted here", "此处不能授予角色 {role}"),
    "deadline_passed_at": (
        "The application deadline passed at {deadline} ({timezone})",
        "申请已于 {deadline}（{timezone}）截止",
    ),
    "document_not_pdf": ("This document must be a PDF file", "该文件必须是 PDF 文件"),
    "team_required": (
        "This item is scored on tracks: name the team that will be scored",
        "该项目在赛道上评测，请指定参与评测的队伍",
    ),
    "not_a_member": ("You are not a member of this unit", "您不是该单位的成员"),
    "missing_items_required": (
        "List the missing items when returning an application",
        "退回申请时请列出缺少的材料",
    ),
    "members_invalid": (
        "Team members must be a list of at most 50 entries with a name and a role",
        "团队成员须为不超过 50 项、每项含姓名和分工的列表",
    ),
    "weights_not_100": (
        "The criteria weights sum to {total} %, not 100 %",
        "各评审指标权重之和为 {total}%，应为 100%",
    ),
    "score_out_of_scale": (
        "The score {score} for {criterion} is outside the scale 0–{maximum}",
        "“{criterion}”的分数 {score} 超出 0–{maximum} 的范围",
    ),
    "reviewer_conflict": (
        "{reviewer} cannot review this item: they belong to {unit}, an applying unit",
        "{reviewer} 不能评审该项目：其所在单位“{unit}”是申报单位（利益冲突）",
    ),
    "not_assigned_reviewer": (
        "You are not a reviewer of this item",
        "您不是该项目的评审专家",
    ),
    "scores_incomplete": (
        "Score every criterion before submitting ({missing} missing)",
        "提交前请为每项指标打分（缺少 {missing} 项）",
    ),
    "scores_submitted": (
        "Your scores for this application are already submitted",
        "您对该申请的评分已提交",
    ),
    "no_rubric": ("This list has no review rubric yet", "该榜单尚未设置评审细则"),
    "not_an_applying_unit": (
        "This unit has not applied to the item",
        "该单位未申报此项目",
    ),
    "conflict_after_scoring": (
        "You have already submitted scores for this item: ask its organiser to handle the conflict",
        "您已提交对该项目的评分，请联系组织方处理利益冲突",
    ),
    "rubric_in_use": (
        "Applications have been scored on these criteria; only the aggregation and the threshold can change",
        "已有申请按这些指标评分，只能修改汇总方式和分差阈值",
    ),
    "not_reviewable": (
        "Only applications that passed the formal check can be scored",
        "只有通过形式审查的申请才能评分",
    ),
    "notice_period_invalid": (
        "The notice period ends before it starts",
        "公示期的结束时间早于开始时间",
    ),
    "objection_after_period": (
        "The public-notice period ended at {end}; objections are closed",
        "公示期已于 {end} 结束，不再受理异议",
    ),
    "objection_before_period": (
        "The public-notice period starts at {start}",
        "公示期自 {start} 开始",
    ),
    "notice_not_over": (
        "The public notice runs until {end}",
        "公示期至 {end} 结束",
    ),
    "objections_open": (
        "{count} objection(s) have no answer yet",
        "尚有 {count} 条异议未答复",
    ),
    "milestone_after_deadline": (
        "The milestone date {date} is after the item's deadline {deadline}",
        "节点日期 {date} 晚于项目截止日期 {deadline}",
    ),
    "not_appointed": ("This item has no final appointment yet", "该项目尚未正式挂帅"),
    "not_appointee": ("Only the appointed unit can do this", "只有挂帅单位可以执行此操作"),
    "appointee_required": (
        "This item has several appointees: name the one (application_id)",
        "该项目有多个挂帅单位，请指明是哪一个（application_id）",
    ),
    "milestone_before_appointment": (
        "The date {date} is before the appointment on {appointed}",
        "日期 {date} 早于挂帅日期 {appointed}",
    ),
    "acceptance_deadline_unset": (
        "Set the item's completion deadline before adding milestones",
        "请先设置项目完成截止日期，再添加节点",
    ),
    "deadline_before_appointment": (
        "The deadline {date} is before the appointment on {appointed}",
        "截止日期 {date} 早于挂帅日期 {appointed}",
    ),
    "deadline_before_milestone": (
        "A milestone falls on {date}, after this deadline",
        "已有节点日期为 {date}，晚于该截止日期",
    ),
    "milestone_has_reports": (
        "This milestone already has a report; it cannot be removed",
        "该节点已有报告，不能删除",
    ),
    "report_superseded": (
        "A newer version of this report was submitted; give the verdict on that one",
        "该报告已有更新的版本，请对最新版本给出结论",
    ),
    "verdict_given": (
        "You have already given your verdict on this report",
        "您已对该报告给出结论",
    ),
    "acceptance_decided": (
        "The acceptance of this item is already decided",
        "该项目的验收结论已经作出",
    ),
    "acceptance_closed": (
        "The acceptance is decided; milestones and reports are closed",
        "验收结论已作出，节点和报告不能再修改",
    ),
    "conditions_required": (
        "State the conditions of the acceptance in the note",
        "有条件通过验收时，请在说明中写明条件",
    ),
    "no_user_with_email": (
        "No account is registered with the e-mail {email}; ask them to sign up first",
        "没有以邮箱 {email} 注册的账户，请先请其注册",
    ),
    "person_email_required": (
        "Give the person's e-mail address",
        "请填写此人的邮箱",
    ),
    "list_timezone_fixed": (
        "The list has been published: its time zone ({zone}) no longer changes, since its"
        " deadlines were announced in it. Put the list back in draft to change the zone",
        "榜单已发布，其时区（{zone}）不能再修改：各项目的截止时间已按此时区公布。"
        "如需修改，请先将榜单退回草稿",
    ),
}
