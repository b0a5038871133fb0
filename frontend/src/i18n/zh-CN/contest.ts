export default {
  edition: '届次',
  timezone: '时区',
  tracks: '赛道',
  noTracks: '暂无赛道。',
  teamSize: '队伍人数上限',
  teamApproval: '队伍需审核',
  rules: '规则',
  joinOrCreate: '创建或加入队伍',
}
