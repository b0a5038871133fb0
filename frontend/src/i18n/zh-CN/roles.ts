export default {
  organiser: '组织者', judge: '评委', participant: '参赛者'
}
