export default {
  home: '首页',
  inbox: '消息',
  hallOfFame: '荣誉榜',
  teams: '我的队伍',
  applications: '我的申报',
  judge: '评审',
  audit: '审计日志',
  admin: '组织管理',
  manage: '管理', // the menu of the organiser's pages
  adminLists: '榜单管理',
  adminContests: '赛事管理',
  health: '系统状态',
  login: '登录',
  register: '注册',
  logout: '退出登录',
  profile: '当前用户：{name}',
}
