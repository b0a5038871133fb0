/** Load data for a page: loading / error / missing-endpoint state and a reload function. */
import { ref, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api/errors'
import { isMissingEndpoint } from '@/api/client'

export function useLoad<T>(fn: () => Promise<T>, opts: { immediate?: boolean } = {}) {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref<string>('')
  const status = ref<number>(0)
  const missing = ref(false)

  async function reload(): Promise<T | null> {
    loading.value = true
    error.value = ''
    missing.value = false
    try {
      data.value = await fn()
    } catch (err) {
      missing.value = isMissingEndpoint(err)
      status.value = err instanceof ApiError ? err.status : 0
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loading.value = false
    }
    return data.value
  }
  if (opts.immediate !== false) void reload()
  return { data, loading, error, status, missing, reload }
}
