export default {
  edit: 'Edit list',
  saved: 'List saved',
  draftHint: "The items' deadlines are typed and shown in this zone; it can change while the list is a draft.",
  lockedHint: 'The list has been published, so its time zone ({zone}) no longer changes; put it back in draft to change it.',
  movesItems: 'The {n} deadline(s) already set keep their moment in time and will be shown in {zone}: check them after saving.',
}
