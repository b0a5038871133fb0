/** Server-side field errors for an el-form: set from an ApiError, cleared as the user edits. */
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/errors'

export function useServerErrors() {
  const errors = reactive<Record<string, string>>({})

  function clear(field?: string): void {
    if (field) delete errors[field]
    else for (const k of Object.keys(errors)) delete errors[k]
  }

  /** Put each 422 message on its field; anything else becomes a toast. Returns true if shown on a field. */
  function apply(err: unknown, known: string[] = []): boolean {
    clear()
    if (err instanceof ApiError && Object.keys(err.fields).length) {
      let onField = false
      for (const [field, msg] of Object.entries(err.fields)) {
        const [name, ...rest] = field.split('.')
        const text = rest.length ? `${rest.map((r) => (/^\d+$/.test(r) ? `#${Number(r) + 1}` : r)).join(' ')}: ${msg}` : msg
        if (!known.length || known.includes(name)) {
          errors[name] = errors[name] ? `${errors[name]}; ${text}` : text
          onField = true
        } else ElMessage.error(msg)
      }
      return onField
    }
    ElMessage.error(err instanceof Error ? err.message : String(err))
    return false
  }

  return { errors, clear, apply }
}
