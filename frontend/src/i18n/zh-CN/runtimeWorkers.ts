export default {
  label: '各评测节点：',
  entry: '{worker}：{status}',
  ready: '已就绪',
  building: '构建中',
  failed: '构建失败',
}
