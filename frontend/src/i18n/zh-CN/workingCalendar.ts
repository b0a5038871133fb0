export default {
  label: '公示期工作日',
  cn: '国家法定节假日安排',
  cnHint: '跳过法定节假日，计入调休上班的周末；尚未公布的年份按周一至周五计算。',
  weekdays: '周一至周五',
  weekdaysHint: '只计周一至周五，不考虑节假日和调休。',
  changeHint: '只影响此后提出的公示，已开始的公示期不变。',
  previewEnd: '公示期至 {end}（{n} 个工作日{detail}）',
  detailSkipped: '，已跳过{names}假期',
  detailMakeup: '，计入调休上班日 {days}',
  detailWeekdays: '，按周一至周五计算',
  previewLoading: '正在计算公示期…',
  noticeDays: '{n} 个工作日',
}
