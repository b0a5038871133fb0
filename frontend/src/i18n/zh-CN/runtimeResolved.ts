export default {
  count: '已解析 {n} 个软件包 | 已解析 {n} 个软件包',
  asOf: '按 {time}（UTC）时的软件包索引解析',
}
