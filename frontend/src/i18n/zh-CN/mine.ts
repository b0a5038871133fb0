export default {
  primary: '主指标',
  note: '队伍备注',
  failure: '失败原因',
}
