import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const GET = vi.fn()
const POST = vi.fn()
const PATCH = vi.fn()
vi.mock('@/api/client', () => ({
  api: { GET: (...a: unknown[]) => GET(...a), POST: (...a: unknown[]) => POST(...a), PATCH: (...a: unknown[]) => PATCH(...a) },
  unwrap: (r: { data?: unknown; error?: unknown; response: Response }) => {
    if (r.error) throw new Error(String(r.error))
    return r.data
  },
}))

import { useAuthStore } from '@/stores/auth'
import { i18n } from '@/i18n'

const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) })
const me = { id: 1, email: 'a@example.com', display_name: 'A', locale: 'en', role: 'participant' }

describe('auth store', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
    GET.mockReset()
    POST.mockReset()
    PATCH.mockReset()
    i18n.global.locale.value = 'zh-CN'
  })

  it('keeps the token in localStorage and applies the saved language', async () => {
    POST.mockResolvedValue(ok({ access_token: 'tok', expires_in: 3600 }))
    GET.mockResolvedValue(ok(me))
    const auth = useAuthStore()
    await auth.login('a@example.com', 'pw')
    expect(auth.signedIn).toBe(true)
    expect(localStorage.getItem('jiebang.token')).toBe('tok')
    expect(i18n.global.locale.value).toBe('en')
    // a new page load reads the token back
    setActivePinia(createPinia())
    expect(useAuthStore().token).toBe('tok')
  })

  it('forgets an expired token', () => {
    localStorage.setItem('jiebang.token', 'old')
    localStorage.setItem('jiebang.token_expires', String(Date.now() - 1000))
    expect(useAuthStore().token).toBeNull()
  })

  it('drops the token when the server no longer accepts it', async () => {
    localStorage.setItem('jiebang.token', 'bad')
    GET.mockResolvedValue({ error: { detail: 'expired' }, response: new Response(null, { status: 401 }) })
    const auth = useAuthStore()
    await auth.fetchMe()
    expect(auth.signedIn).toBe(false)
    expect(localStorage.getItem('jiebang.token')).toBeNull()
  })

  it('saves the language to the profile only when signed in', async () => {
    const auth = useAuthStore()
    await auth.saveLocale('en')
    expect(PATCH).not.toHaveBeenCalled()
    auth.setToken('tok')
    PATCH.mockResolvedValue(ok({ ...me, locale: 'zh-CN' }))
    await auth.saveLocale('zh-CN')
    expect(PATCH).toHaveBeenCalledWith('/api/v1/auth/me', { body: { locale: 'zh-CN' } })
    expect(auth.user?.locale).toBe('zh-CN')
  })
})
