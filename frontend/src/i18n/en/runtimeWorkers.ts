export default {
  label: 'On the workers:',
  entry: '{worker}: {status}',
  ready: 'ready',
  building: 'building',
  failed: 'failed',
}
