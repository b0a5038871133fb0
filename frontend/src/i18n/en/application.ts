export default {
  yours: 'Your application',
  history: 'Status history',
  again: 'Apply again',
  replaceFile: 'Choose another PDF',
}
