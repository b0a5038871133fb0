import { describe, expect, it } from 'vitest'
import en from '@/i18n/en'
import zh from '@/i18n/zh-CN'
import { browserLocale } from '@/i18n'

function leaves(obj: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object') for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
    else out.set(key, v)
  }
  return out
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('i18n messages', () => {
  const e = leaves(en)
  const z = leaves(zh)

  it('has every English key in Chinese and vice versa', () => {
    expect([...e.keys()].filter((k) => !z.has(k))).toEqual([])
    expect([...z.keys()].filter((k) => !e.has(k))).toEqual([])
  })

  it('has no empty strings', () => {
    for (const [k, v] of [...e, ...z]) expect(typeof v === 'string' && v.length > 0, k).toBe(true)
  })

  it('uses the same placeholders in both languages', () => {
    for (const [k, v] of e) expect(placeholders(String(z.get(k))), k).toEqual(placeholders(String(v)))
  })

  it('maps browser languages to a supported locale', () => {
    expect(browserLocale(['en-GB'])).toBe('en')
    expect(browserLocale(['zh-TW', 'en'])).toBe('zh-CN')
    expect(browserLocale(['fr-FR'])).toBe('zh-CN')
    expect(browserLocale(['fr-FR', 'en-US'])).toBe('en')
  })
})
