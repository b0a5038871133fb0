/** Load data for a page: loading / error / missing-endpoint state and a reload function.
 * Reloads may overlap (a filter changes while a load is in flight): only the latest one's
 * answer is kept, so a slow earlier answer never overwrites a newer one. */
import { ref, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api/errors'
import { isMissingEndpoint } from '@/api/client'

export function useLoad<T>(fn: () => Promise<T>, opts: { immediate?: boolean } = {}) {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref<string>('')
  const status = ref<number>(0)
  const missing = ref(false)
  let latest = 0

  async function reload(): Promise<T | null> {
    const call = ++latest
    loading.value = true
    error.value = ''
    missing.value = false
    try {
      const value = await fn()
      if (call === latest) data.value = value
    } catch (err) {
      if (call === latest) {
        missing.value = isMissingEndpoint(err)
        status.value = err instanceof ApiError ? err.status : 0
        error.value = err instanceof Error ? err.message : String(err)
      }
    } finally {
      if (call === latest) loading.value = false
    }
    return data.value
  }
  if (opts.immediate !== false) void reload()
  return { data, loading, error, status, missing, reload }
}
