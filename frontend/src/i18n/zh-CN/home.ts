export default {
  heroTitle: '揭榜挂帅 · 马栏山杯',
  heroText: '揭下本年度的技术难题榜单，或在音视频算法赛道上接受自动、可复现的评测。',
  thisYear: '本年度揭榜挂帅榜单',
  noList: '尚未发布榜单。',
  items: '榜单项目',
  contestsOpen: '赛事',
  contestsPast: '往届赛事',
  noContests: '暂无赛事。',
  viewContest: '查看赛事',
  category: '类别',
  reward: '奖励',
}
