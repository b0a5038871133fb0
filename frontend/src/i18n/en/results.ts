export default {
  finalTab: 'Final ranking',
  publicTab: 'Public leaderboard',
  finalTitle: 'Final results (private split), version {version}, published {at}',
  tie: 'tie',
  tied: 'Tied',
  tieRule: 'Tie-break rule: {rule}',
  tieRuleDefault: 'Teams with equal values on every ranking column share a rank; awards go to every team on a shared rank.',
  yourRank: 'Your team’s final rank: {rank}',
  yourAward: 'Award: {award}',
  notRanked: 'Your team has no entry in the final ranking.',
  prize: 'Prize',
  rankOf: '{rank}',
}
