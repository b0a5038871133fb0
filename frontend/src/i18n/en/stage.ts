export default {
  running: 'Running',
  upcoming: 'Upcoming',
  past: 'Past',
  runningTitle: 'Running contests',
  upcomingTitle: 'Upcoming contests',
  pastTitle: 'Past contests',
  noRunning: 'No contest is running right now.',
  noPhases: 'Dates to be announced',
}
