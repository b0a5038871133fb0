import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: { value: AppLocale; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
]
const STORAGE_KEY = 'jiebang.locale'

/** The browser's language mapped to one we have. */
export function browserLocale(langs: readonly string[] = navigator.languages ?? [navigator.language]): AppLocale {
  for (const l of langs) {
    if (l?.toLowerCase().startsWith('zh')) return 'zh-CN'
    if (l?.toLowerCase().startsWith('en')) return 'en'
  }
  return 'zh-CN'
}

export function storedLocale(): AppLocale | null {
  const v = localStorage.getItem(STORAGE_KEY)
  return v === 'zh-CN' || v === 'en' ? v : null
}

export function rememberLocale(locale: AppLocale): void {
  localStorage.setItem(STORAGE_KEY, locale)
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale() ?? browserLocale(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
})

export function currentLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale
}

export function applyLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  rememberLocale(locale)
  document.documentElement.lang = locale
}
