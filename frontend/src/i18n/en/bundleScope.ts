export default {
  unit: 'Run by',
  hintPlatform: 'A new contest belongs to the unit chosen here (none: the platform’s own). An existing contest keeps its unit.',
  hintUnit: 'A new contest belongs to the unit chosen here. You may re-import a contest that you or your unit organise; a challenge list needs a platform organiser.',
  privacy: 'Shown to every organiser: the shared queues and workers. E-mail addresses are masked for organisers of one unit, contest or list.',
}
