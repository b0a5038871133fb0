export default {
  notEnded: '阶段结束后才能公布最终结果，可发布时间：{date}。',
  published: '已于 {at} 公布为第 {version} 版。',
  canPublish: '阶段已结束，可以公布最终结果。',
}
