export default {
  name: 'Jiebang',
  tagline: 'Challenge lists and the Malanshan Cup audio/video algorithm contest',
  skip: 'Skip to main content',
  menu: 'Menu',
  language: 'Language',
  footer: 'Jiebang — open-source platform for 揭榜挂帅 challenge lists and the Malanshan Cup',
}
