export default {
  // between a track's name and what it lacks, in the publish check's list
  separator: '：',
}
