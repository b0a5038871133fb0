export default {
  finalTab: '最终排名',
  publicTab: '公开榜',
  finalTitle: '最终结果（私有榜）第 {version} 版，{at} 公布',
  tie: '并列',
  tied: '并列',
  tieRule: '并列规则：{rule}',
  tieRuleDefault: '所有排名指标完全相同的队伍名次相同；同一名次的队伍获得相同奖项。',
  yourRank: '您的队伍最终排名：第 {rank} 名',
  yourAward: '奖项：{award}',
  notRanked: '您的队伍未进入最终排名。',
  prize: '奖励',
  rankOf: '第 {rank} 名',
}
