export default {
  zone: '{zone} time ({offset})',
  yours: 'On your computer ({zone}): {time}',
}
