export default {
  yours: '您的申报',
  history: '状态记录',
  again: '再次申报',
  replaceFile: '重新选择 PDF',
}
