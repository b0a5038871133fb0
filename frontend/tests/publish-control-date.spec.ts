/** The publish control names the date results may be published with the formatter the phase's
 * dates beside it use (2030/12/31 23:59 (Asia/Shanghai)), not the API's 2030-12-31 23:59. */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'
import type { Phase } from '@/api/types'
import PublishControl from '@/components/PublishControl.vue'
import { formatSpan } from '@/utils/format'

const phase = {
  id: 5, track_id: 8, slug: 'final', title_zh: '决赛', title_en: 'Final', starts_at: '2030-01-01T00:00:00Z', ends_at: '2030-12-31T15:59:00Z',
  can_publish: false, publishable_from: '2030-12-31T15:59:00Z', publish_blocked_reason: '阶段结束后才能发布最终结果，可发布时间：2030-12-31 23:59', timezone: 'Asia/Shanghai',
} as unknown as Phase

function reason(locale: 'zh-CN' | 'en'): string {
  i18n.global.locale.value = locale
  const w = mount(PublishControl, { props: { phase, timeZone: 'Asia/Shanghai' }, global: { plugins: [ElementPlus, i18n] } })
  return w.get('[data-testid=publish-reason]').text()
}

describe('the date results can be published from', () => {
  it('reads as the phase line does, in Chinese', () => {
    expect(reason('zh-CN')).toBe('阶段结束后才能公布最终结果，可发布时间：2030/12/31 23:59 (Asia/Shanghai)。')
    expect(formatSpan(phase.starts_at, phase.ends_at, 'Asia/Shanghai')).toContain('2030/12/31 23:59')
  })
  it('reads as the phase line does, in English', () => {
    expect(reason('en')).toBe('Final results can be published once the phase ends, from 12/31/2030, 11:59 PM (Asia/Shanghai).')
    expect(formatSpan(phase.starts_at, phase.ends_at, 'Asia/Shanghai')).toContain('12/31/2030, 11:59 PM')
  })
})
