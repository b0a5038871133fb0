export default {
  running: '进行中',
  upcoming: '即将开始',
  past: '已结束',
  runningTitle: '进行中的赛事',
  upcomingTitle: '即将开始的赛事',
  pastTitle: '往届赛事',
  noRunning: '当前没有进行中的赛事。',
  noPhases: '日程待定',
}
