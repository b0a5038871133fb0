export default {
  name: '揭榜',
  tagline: '揭榜挂帅榜单与马栏山杯音视频算法大赛',
  skip: '跳到主要内容',
  menu: '菜单',
  language: '语言',
  footer: '揭榜 —— 揭榜挂帅榜单与马栏山杯的开源平台',
}
