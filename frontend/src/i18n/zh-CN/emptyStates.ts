export default {
  // what an empty table means, and what to do about it, where a bare "暂无内容" said neither
  listNoItems: '这个榜单还没有项目。点击“{button}”添加第一个。',
  itemNoTargets: '该项目没有结构化指标（见上方文字说明），无法按赛道成绩判定是否达标。',
  targetsMetNone: '暂无队伍的核验成绩达到这些指标。',
}
