export default {
  title: 'Ladder mode',
  threshold: 'threshold {threshold}',
  explain:
    "The public board is in Ladder mode: a new entry changes your team's public score only when it beats the score shown by more than {threshold}, and the score shown is then rounded to a multiple of {threshold}. Probing the public split one submission at a time therefore reveals little. The final ranking on the private split is not laddered.",
}
