export default {
  email: 'E-mail',
  emailHint: 'the account’s e-mail',
  memberByEmail: 'Add a member by e-mail',
  reviewerEmail: 'Reviewer’s e-mail',
  yourEmail: 'A unit organiser adds you by your account’s e-mail, {email}.',
  membersOrganisersOnly: 'Only the unit’s organisers see and manage its members.',
}
