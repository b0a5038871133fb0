import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { workerColumns } from '@/utils/workerColumns'
import { healthFieldLabel } from '@/utils/labels'

// the API's worker records list gpu_count first: the table must still open with the worker's name
const workers = [{ gpu_count: 0, name: 'embedded-0', current_job_id: null, sandbox: 'bubblewrap', seen_at: '2026-12-02T15:25:39Z', gpu_model: '' }]

describe('the health page’s worker columns', () => {
  it('puts the name and the current job first, whatever the record’s key order', () => {
    expect(workerColumns(workers)).toEqual(['name', 'current_job_id', 'sandbox', 'gpu_model', 'gpu_count', 'seen_at'])
  })
  it('keeps fields it does not know, after the known ones, within the limit', () => {
    expect(workerColumns([{ queue: 'gpu', name: 'w1' }], 6)).toEqual(['name', 'queue'])
    expect(workerColumns(workers, 2)).toEqual(['name', 'current_job_id'])
  })
  it('names every column in both languages (no “Gpu count” in a Chinese table)', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      i18n.global.locale.value = locale
      for (const c of workerColumns(workers)) expect(healthFieldLabel(c)).not.toMatch(/_|^Gpu/)
    }
    i18n.global.locale.value = 'zh-CN'
    expect(healthFieldLabel('gpu_count')).toBe('GPU 数量')
  })
})
