/** A unit's name for ids shown in tables, fetched once per id and shared. */
import { reactive } from 'vue'
import { getUnit, type Organisation } from '@/api/units'
import { tr } from '@/utils/format'

const units = reactive(new Map<number, Organisation | null>())

export function unitName(id: number | null | undefined): string {
  if (id == null) return '—'
  if (!units.has(id)) {
    units.set(id, null)
    getUnit(id).then((u) => units.set(id, u)).catch(() => undefined)
  }
  const u = units.get(id)
  return u ? tr(u, 'name') : '…'
}
