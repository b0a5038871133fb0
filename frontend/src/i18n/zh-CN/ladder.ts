export default {
  title: '阶梯模式（Ladder）',
  threshold: '阈值 {threshold}',
  explain:
    '公开榜处于阶梯模式：新的提交只有比当前显示的成绩好出 {threshold} 以上，队伍的公开成绩才会更新，且显示值取整到 {threshold} 的整数倍。因此逐次提交试探公开集几乎得不到信息。私有集上的最终排名不受阶梯模式影响。',
}
