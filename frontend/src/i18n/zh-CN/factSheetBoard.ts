export default {
  declared: '各队在事实表中填写',
}
