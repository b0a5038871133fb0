export default {
  heroTitle: '揭榜挂帅 · Malanshan Cup',
  heroText: 'Take on this year\'s open technical challenges, or compete on audio and video algorithms with automatic, reproducible scoring.',
  thisYear: 'This year\'s challenge list',
  noList: 'No challenge list has been published yet.',
  items: 'Challenge items',
  contestsOpen: 'Contests',
  contestsPast: 'Past contests',
  noContests: 'No contests yet.',
  viewContest: 'View contest',
  category: 'Category',
  reward: 'Reward',
}
