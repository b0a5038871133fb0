export default {
  title: 'Hall of fame',
  none: 'No winners published yet.',
  award: 'Award',
}
