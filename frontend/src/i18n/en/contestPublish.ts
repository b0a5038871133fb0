export default {
  // asked before a contest is published: it cannot be taken back from participants
  title: 'Publish the contest',
  confirm: 'Once published, "{title}" with {tracks} and {phases} is public and teams can enter; it cannot be unpublished. Publish?',
  tracks: 'no tracks | one track | {n} tracks',
  phases: 'no phases | one phase | {n} phases',
}
