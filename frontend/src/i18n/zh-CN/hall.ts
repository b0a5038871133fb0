export default {
  title: '荣誉榜',
  none: '暂无公布的获奖者。',
  award: '奖项',
}
