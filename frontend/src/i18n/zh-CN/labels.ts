export default {
  category: {
    'video-coding': '视频编码', audio: '音频', quality: '画质评价', restoration: '画质修复',
    'digital-human': '数字人', video: '视频', image: '图像', speech: '语音', codec: '编解码', vqa: '视频质量评价', separation: '音源分离',
  },
  metric: {
    bd_rate: 'BD-rate', bd_rate_psnr: 'BD-rate（PSNR）', bd_rate_ssim: 'BD-rate（SSIM）', bd_rate_vmaf: 'BD-rate（VMAF）', psnr: 'PSNR', psnr_y: 'PSNR（亮度）', ssim: 'SSIM', ms_ssim: 'MS-SSIM', vmaf: 'VMAF',
    srocc: 'SROCC', plcc: 'PLCC', krocc: 'KROCC', rmse: 'RMSE', si_sdr: 'SI-SDR', si_sdri: 'SI-SDR 提升', sdr: 'SDR', score: '综合得分',
    latency_ms: '延迟', bitrate: '码率', bitrate_kbps: '码率', lpips: 'LPIPS', fps: '帧率', runtime: '运行时间',
  },
  unit: { bd_rate: '%', psnr: 'dB', psnr_y: 'dB', si_sdr: 'dB', si_sdri: 'dB', sdr: 'dB', latency_ms: '毫秒', bitrate_kbps: 'kbps' },
  actor: {
    user: '用户 {id}', worker: '评测机 {n}', system: '系统', housekeeper: '平台维护任务', janitor: '上传清理任务',
    watchdog: '租约看守', cli: '命令行', organiser: '组织者', judge: '评委',
  },
  audit: {
    flag: '标记', unflag: '取消标记', verify: '核验', disqualify: '取消资格', reinstate: '恢复资格',
    rescore: '重评', freeze: '封榜', unfreeze: '解除封榜', publish: '公布结果',
    scoring_program_upload: '上传评分程序', track_edit: '修改赛道', phase_edit: '修改阶段', contest_publish: '发布赛事', track_check: '检查赛道',
    application_shortlisted: '申报入围', application_awarded: '确定挂帅', application_rejected: '申报未通过', application_returned: '申报退回补正', application_complete: '形式审查通过', reviewer_recused: '申报利益冲突并回避',
  },
  health: { name: '名称', seen_at: '最近心跳', current_job_id: '当前任务', sandbox: '沙箱', status: '状态', started_at: '启动时间', version: '版本', gpu_model: 'GPU 型号', gpu_count: 'GPU 数量' },
  job: { queued: '排队中', running: '运行中', done: '已完成', failed: '失败', cancelled: '已取消' },
  failure: {
    rejected: '上传时被拒绝', submission: '提交的文件有问题', infrastructure: '平台故障（已退还配额）',
    evaluator: '评测器故障（已退还配额）', disqualified: '已取消资格', invalid: '提交无效', timeout: '超出时间限制', memory: '超出内存限制',
  },
  programKind: { evaluator: '评测器插件（evaluator.py）', command: '评分命令（scorer.yaml）' },
  runtimeKind: { platform: '平台内置环境', python: 'Python 环境', oci: '容器镜像' },
  check: { database: '数据库', storage: '对象存储', broker: '消息队列', redis: 'Redis', feed: '变更推送' },
  ok: '正常',
  item: '项目 {code}',
  noteInitial: '首次评测（评测器版本 {version}）',
  noteRescore: '重新评测（评测器版本 {version}）',
  submission: '提交 {id}',
}
