export default {
  scoring: 'Scoring quota today',
  failed: 'Failed attempts allowed today',
  open: 'Open uploads',
  of: '{left} of {total} left',
  rule: 'Each day a team has {quota} scored submissions. A submission refused on arrival, or reported invalid before any score is computed, does not use this quota; it uses a separate daily allowance of {failed} failed attempts.',
  ruleShort: 'Mistakes refused before scoring use the failed-attempt allowance, not the scoring quota.',
}
