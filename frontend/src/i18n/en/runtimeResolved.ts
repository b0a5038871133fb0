export default {
  count: '{n} package resolved | {n} packages resolved',
  asOf: 'index as of {time} (UTC)',
}
