export default {
  label: '发榜单位',
  none: '无：由榜单组织方发布',
}
