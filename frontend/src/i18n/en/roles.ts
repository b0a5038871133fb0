export default {
  organiser: 'Organiser', judge: 'Judge', participant: 'Participant'
}
