export default {
  // asked before a contest is published: it cannot be taken back from participants
  title: '发布赛事',
  confirm: '发布后，“{title}”（{tracks}、{phases}）对所有人公开，各队伍即可报名参赛，且不能撤回。确定发布吗？',
  tracks: '{n} 个赛道',
  phases: '{n} 个阶段',
}
