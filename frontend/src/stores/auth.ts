import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { Locale, Role, User } from '@/api/types'
import { applyLocale } from '@/i18n'

const TOKEN_KEY = 'jiebang.token'
const EXPIRES_KEY = 'jiebang.token_expires'

function readToken(): string | null {
  const token = localStorage.getItem(TOKEN_KEY)
  const expires = Number(localStorage.getItem(EXPIRES_KEY) ?? 0)
  if (!token || (expires && Date.now() > expires)) return null
  return token
}

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readToken())
  const user = ref<User | null>(null)
  const ready = ref(false)

  const signedIn = computed(() => !!token.value)
  const role = computed<Role | null>(() => user.value?.role ?? null)
  const isOrganiser = computed(() => role.value === 'organiser')
  const isJudge = computed(() => role.value === 'judge' || role.value === 'organiser')

  function setToken(value: string | null, expiresIn = 0): void {
    token.value = value
    if (value) {
      localStorage.setItem(TOKEN_KEY, value)
      localStorage.setItem(EXPIRES_KEY, String(expiresIn ? Date.now() + expiresIn * 1000 : 0))
    } else {
      localStorage.removeItem(TOKEN_KEY)
      localStorage.removeItem(EXPIRES_KEY)
    }
  }

  async function fetchMe(): Promise<User | null> {
    if (!token.value) {
      user.value = null
      ready.value = true
      return null
    }
    try {
      user.value = unwrap(await api.GET('/api/v1/auth/me'))
      // The saved setting wins over the browser's language.
      if (user.value?.locale) applyLocale(user.value.locale)
    } catch {
      setToken(null)
      user.value = null
    } finally {
      ready.value = true
    }
    return user.value
  }

  async function login(email: string, password: string): Promise<User | null> {
    const tok = unwrap(await api.POST('/api/v1/auth/login', { body: { email, password } }))
    setToken(tok.access_token, tok.expires_in)
    return fetchMe()
  }

  async function register(body: { email: string; display_name: string; password: string; locale: Locale }): Promise<User | null> {
    unwrap(await api.POST('/api/v1/auth/register', { body }))
    return login(body.email, body.password)
  }

  async function saveLocale(locale: Locale): Promise<void> {
    if (!token.value) return
    user.value = unwrap(await api.PATCH('/api/v1/auth/me', { body: { locale } }))
  }

  function logout(): void {
    setToken(null)
    user.value = null
  }

  return { token, user, ready, signedIn, role, isOrganiser, isJudge, setToken, fetchMe, login, register, saveLocale, logout }
})
