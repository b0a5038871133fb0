export default {
  publicShort: '公开',
  privateShort: '私有',
  onlyScored: '只有已评分的提交可以核验。',
  tied: '与他队并列第 {rank} 名',
}
