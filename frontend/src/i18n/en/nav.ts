export default {
  home: 'Home',
  inbox: 'Inbox',
  hallOfFame: 'Hall of fame',
  teams: 'My teams',
  applications: 'My applications',
  judge: 'Judging',
  audit: 'Audit log',
  admin: 'Organise',
  manage: 'Manage', // the menu of the organiser's pages
  adminLists: 'Challenge lists',
  adminContests: 'Contests',
  health: 'System health',
  login: 'Sign in',
  register: 'Register',
  logout: 'Sign out',
  profile: 'Signed in as {name}',
}
