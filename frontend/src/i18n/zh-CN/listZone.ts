export default {
  edit: '编辑榜单',
  saved: '榜单已保存',
  draftHint: '各项目的截止时间按此时区输入和显示；榜单为草稿时可以修改。',
  lockedHint: '榜单已发布，其时区（{zone}）不能再修改；如需修改，请先退回草稿。',
  movesItems: '已设置的 {n} 个截止时间保持原来的时刻，将按 {zone} 显示：保存后请核对。',
}
