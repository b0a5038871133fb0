export default {
  title: 'Fact sheet',
  hint: 'The organisers ask these questions with every submission.',
  required: '{title} needs an answer',
  yes: 'Yes',
  no: 'No',
  choose: 'Choose',
  answers: 'Fact sheet answers',
  none: 'Not answered',
  onLeaderboard: 'shown on the leaderboard',
}
