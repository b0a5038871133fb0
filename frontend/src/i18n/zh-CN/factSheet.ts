export default {
  title: '事实表',
  hint: '主办方要求每次提交时回答以下问题。',
  required: '请回答“{title}”',
  yes: '是',
  no: '否',
  choose: '请选择',
  answers: '事实表回答',
  none: '未回答',
  onLeaderboard: '显示在排行榜上',
}
