export default {
  scoring: '今日评分配额',
  failed: '今日失败尝试额度',
  open: '未完成的上传',
  of: '剩余 {left} / {total}',
  rule: '每支队伍每天有 {quota} 次计分提交。上传时被拒绝、或在计算成绩之前被评测器判为无效的提交不占用计分配额，而是占用每天 {failed} 次的失败尝试额度。',
  ruleShort: '在计分之前被拒绝的错误提交只占用失败尝试额度，不占用计分配额。',
}
