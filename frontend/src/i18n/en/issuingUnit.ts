export default {
  label: 'Issuing unit (发榜单位)',
  none: 'None: issued by the list organiser',
}
