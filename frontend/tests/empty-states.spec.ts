import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'
import TargetsTable from '@/components/TargetsTable.vue'

describe('an item without structured targets', () => {
  it('says so, and why no score decides it, instead of a bare “Nothing here yet”', () => {
    for (const [locale, text] of [['zh-CN', '该项目没有结构化指标'], ['en', 'The item has no structured targets']] as const) {
      i18n.global.locale.value = locale
      const w = mount(TargetsTable, { props: { targets: [] }, global: { plugins: [ElementPlus, i18n], stubs: { RouterLink: { template: '<a><slot /></a>' } } } })
      expect(w.text()).toContain(text)
      expect(w.text()).not.toContain(locale === 'zh-CN' ? '暂无内容' : 'Nothing here yet')
    }
  })
  it('names the button that adds a list’s first item, in the reader’s language', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(i18n.global.t('emptyStates.listNoItems', { button: i18n.global.t('admin.newItem') })).toBe('这个榜单还没有项目。点击“新建项目”添加第一个。')
    i18n.global.locale.value = 'en'
    expect(i18n.global.t('emptyStates.listNoItems', { button: i18n.global.t('admin.newItem') })).toBe('This list has no items yet. Use “New item” to add the first one.')
  })
})
