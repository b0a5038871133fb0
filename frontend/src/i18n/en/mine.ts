export default {
  primary: 'Primary',
  note: 'Team note',
  failure: 'Why it failed',
}
