export default {
  edition: 'Edition',
  timezone: 'Time zone',
  tracks: 'Tracks',
  noTracks: 'No tracks yet.',
  teamSize: 'Team size limit',
  teamApproval: 'Teams need approval',
  rules: 'Rules',
  joinOrCreate: 'Create or join a team',
}
