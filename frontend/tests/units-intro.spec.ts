/** The units page's intro and 'your e-mail' sentence: no space between them in Chinese, one in English. */
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'

vi.mock('@/api/units', () => ({ allUnits: vi.fn(async () => []), myUnitApplications: vi.fn(async () => []), myUnits: vi.fn(async () => []) }))
const { default: UnitsView } = await import('@/views/units/UnitsView.vue')

async function intro(locale: 'zh-CN' | 'en'): Promise<string> {
  i18n.global.locale.value = locale
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().$patch({ user: { email: 'li@example.org' } } as never)
  const w = mount(UnitsView, { global: { plugins: [ElementPlus, i18n, pinia], stubs: { 'router-link': true } } })
  await flushPromises()
  return w.get('[data-testid="units-intro"]').text()
}

describe('the units intro', () => {
  it('runs the Chinese sentences together', async () => {
    const text = await intro('zh-CN')
    expect(text).toContain(`${i18n.global.t('units.intro')}${i18n.global.t('people.yourEmail', { email: 'li@example.org' })}`)
  })
  it('keeps a space between the English ones', async () => {
    const text = await intro('en')
    expect(text).toContain(`${i18n.global.t('units.intro')} ${i18n.global.t('people.yourEmail', { email: 'li@example.org' })}`)
  })
})
