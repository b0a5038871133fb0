export default {
  zone: '{zone} 时间（{offset}）',
  yours: '本机时间（{zone}）：{time}',
}
