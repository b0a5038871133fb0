import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { CodecColumn } from '@/utils/codec'
import { codecCell } from '@/utils/codecCell'
import CodecValue from '@/components/codec/CodecValue.vue'

const bdRate: CodecColumn = { key: 'bd_rate', kind: 'bd_rate', metric: 'psnr_yuv' }
const bdQuality: CodecColumn = { key: 'bd_quality', kind: 'bd_quality', metric: 'psnr_yuv' }
const ratio: CodecColumn = { key: 'dec_time_ratio', kind: 'ratio' }
const wall: CodecColumn = { key: 'dec_wall_s', kind: 'time' }

describe('codecCell', () => {
  it('signs a BD-rate to two places and greens a saving, reds a cost', () => {
    expect(codecCell(bdRate, -4.254)).toEqual({ text: '−4.25 %', className: 'codec-gain' })
    expect(codecCell(bdRate, 1.5)).toEqual({ text: '+1.50 %', className: 'codec-loss' })
    expect(codecCell(bdRate, 0)).toEqual({ text: '0.00 %', className: 'codec-neutral' })
  })
  it('signs a BD-quality to three places, a gain being above zero', () => {
    expect(codecCell(bdQuality, 0.21)).toEqual({ text: '+0.210', className: 'codec-gain' })
    expect(codecCell(bdQuality, -0.1)).toEqual({ text: '−0.100', className: 'codec-loss' })
  })
  it('leaves decoding measurements and missing values uncoloured', () => {
    expect(codecCell(ratio, 1.8)).toEqual({ text: '1.80×', className: 'codec-neutral' })
    expect(codecCell(wall, 0.4321)).toEqual({ text: '0.432 s', className: 'codec-neutral' })
    expect(codecCell(bdRate, undefined)).toEqual({ text: '—', className: 'codec-neutral' })
    expect(codecCell(bdRate, Number.NaN)).toEqual({ text: '—', className: 'codec-neutral' })
  })
})

describe('CodecValue', () => {
  it('renders the cell with its class and keeps the attributes it is given', () => {
    const w = mount(CodecValue, { props: { column: bdRate, value: -2 }, attrs: { 'data-testid': 'cell' } })
    expect(w.text()).toBe('−2.00 %')
    expect(w.classes()).toEqual(expect.arrayContaining(['mono', 'nowrap', 'codec-gain']))
    expect(w.attributes('data-testid')).toBe('cell')
  })
})
