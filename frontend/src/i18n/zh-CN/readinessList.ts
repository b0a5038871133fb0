export default {
  // between a track's name and what it lacks, in the publish check's list
  separator: '：',
  // a contest without tracks: the link to the track wizard
  addTrack: '添加赛道',
}
