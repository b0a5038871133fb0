"""The platform's own messages: key -> (en, zh-CN); parameters use str.format names."""

PLATFORM: dict[str, tuple[str, str]] = {
    "not_found": ("{thing} not found", "未找到{thing}"),
    "conflict": ("{thing} already exists", "{thing}已存在"),
    "forbidden": ("You are not allowed to do this", "您无权执行此操作"),
    "not_authenticated": ("Not authenticated", "未登录或登录已失效"),
    "bad_credentials": ("Incorrect email or password", "邮箱或密码错误"),
    "email_lookalike": (
        "This address looks like an existing account's address (look-alike letters); "
        "sign in with that account or use another address",
        "该邮箱与已有账户的邮箱形似（含形近字符），请登录该账户或改用其他邮箱",
    ),
    "metrics_token_unset": (
        "Metrics are refused until JIEBANG_METRICS_TOKEN is set; scrapers send it as a Bearer token",
        "在设置 JIEBANG_METRICS_TOKEN 之前拒绝提供监控指标；抓取方须以 Bearer 令牌发送",
    ),
    "metrics_token_required": (
        "Metrics need the metrics token (Authorization: Bearer …)",
        "读取监控指标需要指标令牌（Authorization: Bearer …）",
    ),
    "limits_unavailable": (
        "The rate-limit store (Redis) is unavailable; please retry shortly",
        "限流存储（Redis）暂不可用，请稍后重试",
    ),
    "join_rate_limited": (
        "Too many attempts to join a team; try again in {seconds} s",
        "加入队伍的尝试过于频繁，请在 {seconds} 秒后重试",
    ),
    "rate_limited": (
        "Too many login attempts; try again in {seconds} s",
        "登录尝试过于频繁，请在 {seconds} 秒后重试",
    ),
    "internal_error": (
        "Internal error (request {request_id}); the operators have been notified",
        "服务器内部错误（请求 {request_id}），已通知运维人员",
    ),
    "validation_failed": ("Some fields are invalid", "部分字段无效"),
    "bad_status_transition": (
        "Cannot move {thing} from {current} to {target}",
        "{thing}不能从 {current} 变为 {target}",
    ),
    "team_full": ("The team already has {limit} members", "该队伍已满（{limit} 人）"),
    "already_in_team": (
        "You are already in a team for this contest",
        "您在本竞赛中已属于一个队伍",
    ),
    "captain_cannot_leave": (
        "The captain cannot leave while other members remain",
        "仍有其他成员时队长不能退出",
    ),
    "deadline_passed": ("The application deadline has passed", "申请截止时间已过"),
    "not_published": ("{thing} is not published", "{thing}尚未发布"),
    "team_not_in_contest": (
        "This item is evaluated on contest {contest}; apply with a team of that contest",
        "该榜单项目在竞赛 {contest} 中评测，请使用该竞赛的队伍申请",
    ),
    "not_captain": ("Only the team captain can do this", "只有队长可以执行此操作"),
    "storage_unavailable": (
        "Object storage is unavailable; nothing was saved, please retry",
        "对象存储暂不可用，未保存任何内容，请重试",
    ),
    "file_too_large": ("The file exceeds {limit}", "文件超过 {limit}"),
    "runtime_image_invalid": (
        "Not an OCI image archive: expected an OCI layout tar (oci-layout, index.json) "
        "or docker save output (manifest.json)",
        "不是 OCI 镜像归档：应为 OCI layout 的 tar（含 oci-layout、index.json）或 docker save 的输出（含 manifest.json）",
    ),
    "runtime_image_too_large": (
        "The image archive is larger than this platform accepts ({limit}): slim the image "
        "(fewer layers, no build tools) or ask the administrator to raise "
        "JIEBANG_RUNTIME_MAX_IMAGE_UPLOAD_BYTES",
        "镜像归档超过本平台允许的大小（{limit}）：请精简镜像（减少层、去掉构建工具），"
        "或请管理员调高 JIEBANG_RUNTIME_MAX_IMAGE_UPLOAD_BYTES",
    ),
    "evaluator_in_use": (
        "The evaluator cannot change once the track has submissions ({count}); pin another "
        "version of the same evaluator, or create a new track",
        "赛道已有提交（{count} 个），不能更换评测器；可改用同一评测器的其他版本，或新建赛道",
    ),
    "split_published": (
        "The phase's results are published: its public/private split can no longer change",
        "该阶段成绩已发布，公开/私有划分不能再修改",
    ),
    "reject_reason_required": (
        "A reason is required to reject an application (reviewer_notes)",
        "驳回揭榜申请必须填写理由（reviewer_notes）",
    ),
    "value_out_of_range": ("A number in the request is out of range", "请求中的数值超出范围"),
    "text_has_nul": (
        "Text in the request contains a NUL (0x00) character",
        "请求中的文本包含 NUL（0x00）字符",
    ),
    "validation_message": ("{message}", "{message}"),
    "unknown_evaluator": ("Unknown evaluator {key}", "未知的评测器 {key}"),
    "scoring_program_rejected": (
        "Scoring program rejected: {file}: {problem}",
        "评分程序被拒绝：{file}：{problem}",
    ),
    "scoring_program_version_taken": (
        "{name} {version} is already published with other content: give the new upload "
        "another version",
        "{name} {version} 已以不同内容发布：请为新上传指定另一个版本号",
    ),
    "contest_not_ready": (
        "The contest cannot be published: some tracks are not ready (see missing)",
        "比赛无法发布：部分赛道尚未就绪（见 missing 列表）",
    ),
    "track_check_running": (
        "A check of this track is already running",
        "该赛道的检查正在进行中",
    ),
    "proposal_not_pdf": ("The proposal must be a PDF file", "申请材料必须是 PDF 文件"),
    "quota_total": (
        "Your team has used all {limit} submissions of this phase",
        "您的队伍已用完本阶段全部 {limit} 次提交",
    ),
    "quota_daily": (
        "Your team has used today's {limit} submissions; the count resets at {resets_at}",
        "您的队伍今日 {limit} 次提交已用完，将于 {resets_at} 重置",
    ),
    "quota_concurrent": (
        "Your team already has {limit} submissions waiting or running; wait for one to finish",
        "您的队伍已有 {limit} 个提交在排队或评测中，请等待其完成",
    ),
    "quota_failed": (
        "Your team has used today's {limit} failed attempts (uploads refused on arrival or "
        "found invalid before scoring); new uploads are accepted again from {resets_at}",
        "您的队伍今日 {limit} 次失败尝试（上传时被拒收或评分前被判无效）已用完，"
        "{resets_at} 起可再次上传",
    ),
    "open_uploads_full": (
        "Your team already has {count} unfinished uploads in this phase (limit {limit}); "
        "complete or cancel one first",
        "您的队伍在本阶段已有 {count} 个未完成的上传（上限 {limit} 个），请先完成或取消其中一个",
    ),
    "open_upload_bytes_full": (
        "Your team's {count} unfinished uploads in this phase already declare {used}; another "
        "{size} would exceed the {limit} allowed; complete or cancel one first",
        "您的队伍在本阶段的 {count} 个未完成上传已声明 {used}，再上传 {size} 将超过上限 {limit}，"
        "请先完成或取消其中一个",
    ),
    "part_too_short": (
        "Part {number} holds {size} bytes, but every part except the last must hold exactly "
        "{part_size} bytes ({part_size_human}, the minimum part size); upload part {number} again",
        "第 {number} 个分片只有 {size} 字节，除最后一片外每个分片都必须恰好为 {part_size} 字节"
        "（{part_size_human}，即最小分片大小），请重新上传第 {number} 个分片",
    ),
    "part_too_long": (
        "Part {number} holds {size} bytes; a part may hold at most {part_size} bytes",
        "第 {number} 个分片有 {size} 字节，每个分片最多 {part_size} 字节",
    ),
    "staged_upload_completing": (
        "Another request is completing this upload right now",
        "另一个请求正在完成此上传",
    ),
    "complete_in_progress": (
        "Another request is completing this upload right now; its state is shown here",
        "另一个请求正在完成此上传，当前状态见返回内容",
    ),
    "already_completed": (
        "This upload was already completed; the submission's current state is shown here",
        "此上传已完成，返回内容为该提交的当前状态",
    ),
    "phase_not_open": ("This phase is not open for submissions", "该阶段当前不接受提交"),
    "team_not_approved": (
        "Your team is waiting for the organiser's approval",
        "您的队伍正在等待组织方审核",
    ),
    "not_in_team": ("Join or form a team in this contest first", "请先在本竞赛中创建或加入队伍"),
    "archive_rejected": ("{message}", "{message}"),
    "held_for_faults": (
        "Waiting for an organiser: the platform failed {faults} times on this team's "
        "submissions in the last 24 hours (budget {budget}); an organiser will check and "
        "release it",
        "等待组织方处理：过去 24 小时内平台在本队提交上已出错 {faults} 次（上限 {budget} 次），"
        "组织方核查后将放行",
    ),
    "upload_incomplete": ("{message}", "{message}"),
    "sha256_mismatch": (
        "The uploaded file's sha256 is {actual}, but {declared} was declared; upload it again",
        "上传文件的 sha256 为 {actual}，与声明的 {declared} 不符，请重新上传",
    ),
    "size_mismatch": (
        "The uploaded file is {actual} bytes, but {declared} were declared",
        "上传文件为 {actual} 字节，与声明的 {declared} 字节不符",
    ),
    "code_track_closed": (
        "Code submissions are closed: {reason}",
        "代码提交暂停：{reason}",
    ),
    "not_cancellable": ("Only queued submissions can be cancelled", "只有排队中的提交可以取消"),
    "selection_closed": (
        "Final selection closed at the end of the phase",
        "阶段结束后不能再更改最终选择",
    ),
    "selection_full": (
        "Your team already selected {limit} submissions; unselect one first",
        "您的队伍已选择 {limit} 个提交，请先取消一个",
    ),
    "only_scored_verifiable": (
        "Only scored submissions can be verified",
        "只有已评分的提交可以核验",
    ),
    "only_scored_selectable": (
        "Only scored submissions can be selected",
        "只有已评分的提交可以被选择",
    ),
    "bad_worker_token": ("Invalid worker token", "无效的评测节点令牌"),
    "lease_lost": ("This job's lease has moved to another worker", "该任务已被其他评测节点接管"),
    "phase_dates": ("The phase must end after it starts", "阶段结束时间必须晚于开始时间"),
    "phase_not_in_contest": ("This phase is not part of this contest", "该阶段不属于此竞赛"),
    "pdf_font_missing": (
        "No CJK font for PDF exports: install fonts-wqy-microhei or set JIEBANG_PDF_FONT",
        "PDF 导出缺少中文字体：请安装 fonts-wqy-microhei 或设置 JIEBANG_PDF_FONT",
    ),
    "phase_freeze": (
        "The freeze time must lie between the phase's start and end",
        "封榜时间必须在阶段开始与结束之间",
    ),
    "phase_split": (
        "An item cannot be in both the public and the private split",
        "同一条目不能同时属于公开与私有划分",
    ),
    "phase_timezone": (
        "Dates must carry a time zone offset, e.g. 2024-05-01T00:00:00+08:00",
        "时间必须带时区偏移，例如 2024-05-01T00:00:00+08:00",
    ),
    "evaluator_version_unknown": (
        "Evaluator {evaluator} {version} is not installed (installed: {installed})",
        "评测器 {evaluator} 未安装版本 {version}（已安装：{installed}）",
    ),
    "phase_published": (
        "The phase's results are published; its freeze can no longer change",
        "该阶段结果已发布，封榜时间不能再修改",
    ),
    "leaderboard_config": (
        "The track's leaderboard settings are invalid: {message}",
        "赛道排行榜配置无效：{message}",
    ),
    "leaderboard_hidden": (
        "This leaderboard is visible to the organisers only",
        "该排行榜仅对组织方可见",
    ),
    "private_not_published": (
        "The private leaderboard is shown once the final results are published",
        "私有排行榜将在最终结果发布后公开",
    ),
    "immutable_record": ("This record cannot be changed or deleted", "该记录不可修改或删除"),
    "already_published": (
        "The results of this {thing} are already published",
        "该{thing}的结果已发布",
    ),
    "phase_not_ended": (
        "Final results can be published only after the {thing} ends, from {date}",
        "{thing}结束后才能发布最终结果，可发布时间：{date}",
    ),
    "failure_rejected": ("Refused on arrival", "上传时被拒收"),
    "failure_submission": ("Problem in your submission", "提交内容有误"),
    "failure_infrastructure": ("Platform fault (quota refunded)", "平台故障（已退还次数）"),
    "failure_evaluator": ("Evaluator fault (quota refunded)", "评测器故障（已退还次数）"),
    "failure_disqualified": ("Disqualified", "已取消资格"),
    "evaluator_failed_refunded": (
        "The organiser's evaluator failed; your quota has been refunded.",
        "组织方的评测器出错，已退还本次提交次数。",
    ),
    "platform_failed_refunded": (
        "The platform failed to evaluate this submission {attempts} times; your quota has been refunded.",
        "平台评测此提交失败 {attempts} 次，已退还本次提交次数。",
    ),
    "verification_pending": (
        "The top {k} must be verified before publication; {count} are not verified yet",
        "发布前须核验前 {k} 名，尚有 {count} 个未核验",
    ),
    "bundle_contest_of_other_unit": (
        "The contest {slug} is run by another unit (or the platform); importing a bundle never"
        " moves a contest between units",
        "竞赛 {slug} 由其他单位（或平台）主办；导入赛题包不会在单位之间转移竞赛",
    ),
    "scoped_role_platform_admin": ("platform administrator", "平台管理员"),
    "scoped_role_organiser": ("organiser", "组织者"),
    "scoped_role_judge": ("judge", "评委"),
    "scoped_role_reviewer": ("expert reviewer", "评审专家"),
    "last_platform_admin": (
        "{name} ({email}) is the platform's last administrator; grant another administrator"
        " before removing this role",
        "{name}（{email}）是平台仅有的管理员，请先授予另一位管理员，再撤销此角色",
    ),
    "last_unit_organiser": (
        "{name} ({email}) is this unit's last organiser; grant another organiser before removing"
        " this role",
        "{name}（{email}）是本单位仅有的组织者，请先授予另一位组织者，再撤销此角色",
    ),
    "own_last_platform_role": (
        "The {role} role is your last platform role; you could not take it back. Ask another"
        " platform administrator to remove it",
        "{role}是您仅有的平台角色，撤销后您将无法恢复，请由其他平台管理员撤销",
    ),
}
