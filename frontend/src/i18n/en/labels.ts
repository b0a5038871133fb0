export default {
  category: {
    'video-coding': 'Video coding', audio: 'Audio', quality: 'Quality assessment', restoration: 'Restoration',
    'digital-human': 'Digital humans', video: 'Video', image: 'Image', speech: 'Speech', codec: 'Codec', vqa: 'Video quality assessment', separation: 'Source separation',
  },
  metric: {
    bd_rate: 'BD-rate', bd_rate_psnr: 'BD-rate (PSNR)', bd_rate_ssim: 'BD-rate (SSIM)', bd_rate_vmaf: 'BD-rate (VMAF)', psnr: 'PSNR', psnr_y: 'PSNR (Y)', ssim: 'SSIM', ms_ssim: 'MS-SSIM', vmaf: 'VMAF',
    srocc: 'SROCC', plcc: 'PLCC', krocc: 'KROCC', rmse: 'RMSE', si_sdr: 'SI-SDR', si_sdri: 'SI-SDR improvement', sdr: 'SDR', score: 'Score',
    latency_ms: 'Latency', bitrate: 'Bitrate', bitrate_kbps: 'Bitrate', lpips: 'LPIPS', fps: 'Frame rate', runtime: 'Run time',
  },
  unit: { bd_rate: '%', psnr: 'dB', psnr_y: 'dB', si_sdr: 'dB', si_sdri: 'dB', sdr: 'dB', latency_ms: 'ms', bitrate_kbps: 'kbps' },
  actor: {
    user: 'User {id}', worker: 'Evaluator {n}', system: 'System', housekeeper: 'Platform housekeeping', janitor: 'Upload clean-up',
    watchdog: 'Lease watchdog', cli: 'Command line', organiser: 'Organiser', judge: 'Judge',
  },
  audit: {
    flag: 'Flagged', unflag: 'Unflagged', verify: 'Verified', disqualify: 'Disqualified', reinstate: 'Reinstated',
    rescore: 'Re-scored', freeze: 'Froze the board', unfreeze: 'Lifted the freeze', publish: 'Published results',
    scoring_program_upload: 'Uploaded a scoring program', track_edit: 'Edited a track', phase_edit: 'Edited a phase', contest_publish: 'Published a contest', track_check: 'Checked a track',
    application_shortlisted: 'Shortlisted an application', application_awarded: 'Awarded an item (挂帅)', application_rejected: 'Rejected an application', application_returned: 'Returned an application', application_complete: 'Passed the formal check', reviewer_recused: 'Declared a conflict of interest and recused',
  },
  health: { name: 'Name', seen_at: 'Last heartbeat', current_job_id: 'Current job', sandbox: 'Sandbox', status: 'Status', started_at: 'Started', version: 'Version', gpu_model: 'GPU model', gpu_count: 'GPUs' },
  job: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' },
  failure: {
    rejected: 'Refused on arrival', submission: 'Problem in the submitted files', infrastructure: 'Platform fault (quota refunded)',
    evaluator: 'Evaluator fault (quota refunded)', disqualified: 'Disqualified', invalid: 'Invalid submission', timeout: 'Time limit exceeded', memory: 'Memory limit exceeded',
  },
  programKind: { evaluator: 'Evaluator plugin (evaluator.py)', command: 'Scoring command (scorer.yaml)' },
  runtimeKind: { platform: 'Platform environment', python: 'Python environment', oci: 'Container image' },
  check: { database: 'Database', storage: 'Object storage', broker: 'Message broker', redis: 'Redis', feed: 'Change feed' },
  ok: 'OK',
  item: 'Item {code}',
  noteInitial: 'First evaluation (evaluator version {version})',
  noteRescore: 'Re-scored (evaluator version {version})',
  submission: 'Submission {id}',
}
