import { ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, type FormInstance } from 'element-plus'

/**
 * Saving an edit dialog: validate the form, send only what changed (nothing at all when
 * nothing did), confirm, close. A refusal goes to `onError`, which puts 422s on their fields.
 */
export function useEditSave<Body extends object, Saved>(options: {
  formRef: Ref<FormInstance | undefined>
  ready: () => boolean
  payload: () => Body
  send: (body: Body) => Promise<Saved>
  savedMessage: string
  onSaved: (saved: Saved) => void
  onClose: () => void
  onError: (err: unknown) => void
}) {
  const { t } = useI18n()
  const busy = ref(false)

  async function save(): Promise<void> {
    if (!options.ready() || !(await options.formRef.value?.validate().catch(() => false))) return
    const body = options.payload()
    if (!Object.keys(body).length) {
      ElMessage.info(t('admin.nothingChanged'))
      options.onClose()
      return
    }
    busy.value = true
    try {
      const saved = await options.send(body)
      ElMessage.success(t(options.savedMessage))
      options.onSaved(saved)
      options.onClose()
    } catch (err) {
      options.onError(err)
    } finally {
      busy.value = false
    }
  }

  return { busy, save }
}
