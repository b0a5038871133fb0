export default {
  // what an empty table means, and what to do about it, where a bare "Nothing here yet" said neither
  listNoItems: 'This list has no items yet. Use “{button}” to add the first one.',
  itemNoTargets: 'The item has no structured targets (see its text above), so no track score decides them.',
  targetsMetNone: 'No team’s verified score meets these targets yet.',
}
