export default {
  email: '邮箱',
  emailHint: '账户的邮箱',
  memberByEmail: '按邮箱添加成员',
  reviewerEmail: '专家的邮箱',
  yourEmail: '单位管理员按您账户的邮箱 {email} 添加您为成员。',
  membersOrganisersOnly: '仅单位管理员可查看和管理成员。',
}
