export default {
  notEnded: 'Final results can be published once the phase ends, from {date}.',
  published: 'Published as version {version} on {at}.',
  canPublish: 'The phase has ended: results can be published.',
}
