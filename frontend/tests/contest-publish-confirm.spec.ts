import { describe, expect, it, vi } from 'vitest'
import { i18n } from '@/i18n'

const confirm = vi.fn()
vi.mock('element-plus', () => ({ ElMessageBox: { confirm: (...args: unknown[]) => confirm(...args) } }))
vi.mock('@/api/client', () => ({ api: {}, unwrap: (r: { data: unknown }) => r.data }))
const { confirmContestPublish, contestPublishText } = await import('@/components/readiness/confirmContestPublish')

const cup = { title: '马栏山杯', tracks: 2, phases: 3 }

describe('publishing a contest asks first', () => {
  it('names the contest and its tracks and phases in Chinese, as 赛事', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(contestPublishText(cup)).toBe('发布后，“马栏山杯”（2 个赛道、3 个阶段）对所有人公开，各队伍即可报名参赛，且不能撤回。确定发布吗？')
    expect(i18n.global.t('wizard.notReadyTitle')).toBe('赛事暂不能发布')
    expect(i18n.global.t('admin.publishContest')).toBe('发布赛事')
  })
  it('counts in the singular and plural in English', () => {
    i18n.global.locale.value = 'en'
    expect(contestPublishText({ title: 'Cup', tracks: 1, phases: 2 })).toBe('Once published, "Cup" with one track and 2 phases is public and teams can enter; it cannot be unpublished. Publish?')
  })
  it('resolves false when cancelled, true when confirmed', async () => {
    confirm.mockRejectedValueOnce('cancel')
    expect(await confirmContestPublish(cup)).toBe(false)
    confirm.mockResolvedValueOnce('confirm')
    expect(await confirmContestPublish(cup)).toBe(true)
    expect(confirm.mock.calls[1][1]).toBe('Publish the contest')
  })
})
