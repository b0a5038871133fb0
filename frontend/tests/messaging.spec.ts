import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createPinia } from 'pinia'
import { i18n } from '@/i18n'

const sent: { path: string; body: Record<string, unknown> }[] = []
vi.mock('@/api/client', () => ({
  request: vi.fn(async (_method: string, path: string, body: Record<string, unknown>) => {
    sent.push({ path, body })
    return { recipients: body.team_approved === true ? 4 : 7, sent: !body.dry_run }
  }),
}))

const { default: MessageDialog } = await import('@/views/notice/MessageDialog.vue')

describe('message dialog', () => {
  it('counts the recipients of the filter, then sends after a confirmation naming them', async () => {
    i18n.global.locale.value = 'en'
    const w = mount(MessageDialog, {
      props: { scope: 'contest', targetId: 3, phases: [{ id: 11, label: 'Codec · Phase A' }], modelValue: false },
      global: { plugins: [ElementPlus, i18n, createPinia()] },
      attachTo: document.body,
    })
    await w.setProps({ modelValue: true })
    await flushPromises()
    expect(sent.at(-1)).toEqual({ path: '/contests/3/messages', body: expect.objectContaining({ dry_run: true, phase_id: null, team_approved: null }) })
    expect(document.body.querySelector('[data-testid="message-count"]')?.textContent).toBe('7 recipient(s)')
    const approved = [...document.body.querySelectorAll('.el-radio')].find((r) => r.textContent?.trim() === 'Approved') as HTMLElement
    approved.click()
    await flushPromises()
    expect(sent.at(-1)?.body).toMatchObject({ dry_run: true, team_approved: true })
    expect(document.body.querySelector('[data-testid="message-count"]')?.textContent).toBe('4 recipient(s)')

    const subject = document.body.querySelector('input[data-testid="message-subject"]') as HTMLInputElement
    subject.value = 'Phase B opens'
    subject.dispatchEvent(new Event('input'))
    const body = document.body.querySelector('textarea[data-testid="message-body"]') as HTMLTextAreaElement
    body.value = 'Submit by Friday.'
    body.dispatchEvent(new Event('input'))
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    ;(document.body.querySelector('[data-testid="message-send"]') as HTMLElement).click()
    await flushPromises()
    expect(String(confirm.mock.calls[0][0])).toContain('4 recipient(s)')
    expect(sent.at(-1)?.body).toMatchObject({ dry_run: false, subject: 'Phase B opens', body: 'Submit by Friday.', team_approved: true })
    w.unmount()
  })
})
