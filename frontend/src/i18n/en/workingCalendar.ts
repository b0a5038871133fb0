export default {
  label: 'Working days of the notice period',
  cn: 'Official Chinese holiday calendar',
  cnHint: 'Public holidays are skipped and adjusted weekend working days (调休) count; years whose schedule is not announced yet count Monday to Friday.',
  weekdays: 'Monday to Friday',
  weekdaysHint: 'Counts Monday to Friday only, ignoring public holidays and adjusted working days.',
  changeHint: 'Applies to notices proposed from now on; periods already under way stay as they are.',
  previewEnd: 'Notice period until {end} ({n} working days{detail})',
  detailSkipped: ', skipping the {names} holiday',
  detailMakeup: ', counting the adjusted working day {days}',
  detailWeekdays: ', Monday to Friday',
  previewLoading: 'Computing the notice period…',
  noticeDays: '{n} working days',
}
