export default {
  declared: 'Declared by each team in its fact sheet',
}
