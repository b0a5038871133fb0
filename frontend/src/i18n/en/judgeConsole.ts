export default {
  publicShort: 'Public',
  privateShort: 'Private',
  onlyScored: 'Only scored submissions can be verified.',
  tied: 'Tied on rank {rank}',
}
