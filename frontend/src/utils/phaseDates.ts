/** Phase dates that deserve a second look before saving: an end in the past, or overlap with the track's other phases. */
import { ElMessageBox } from 'element-plus'

export interface Span { id?: number; slug?: string; title_en?: string; title_zh?: string; starts_at: string | Date; ends_at: string | Date }

const ms = (d: string | Date) => (d instanceof Date ? d.getTime() : new Date(d).getTime())

/** The other phases whose [start, end) meets [start, end) of `span` (touching ends do not overlap). */
export function overlapping(span: Span, others: Span[]): Span[] {
  const [s, e] = [ms(span.starts_at), ms(span.ends_at)]
  return others.filter((o) => (span.id === undefined || o.id !== span.id) && ms(o.starts_at) < e && s < ms(o.ends_at))
}

/** Ask before saving dates that end in the past or overlap; true when there is nothing to ask or the organiser confirmed. */
export async function confirmPhaseDates(
  span: Span,
  others: Span[],
  t: (key: string, values?: Record<string, unknown>) => string,
  format: (d: string | Date) => string,
  name: (s: Span) => string,
): Promise<boolean> {
  const ask = (message: string, title: string) =>
    ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: t('common.confirm'), cancelButtonText: t('common.cancel') }).then(() => true, () => false)
  if (ms(span.ends_at) < Date.now() && !(await ask(t('trackEdit.endInPast', { end: format(span.ends_at) }), t('common.confirm')))) return false
  const clash = overlapping(span, others)
  if (!clash.length) return true
  const phases = clash.map((o) => `${name(o)} (${format(o.starts_at)} – ${format(o.ends_at)})`).join(', ')
  return ask(t('trackEdit.overlapConfirm', { range: `${format(span.starts_at)} – ${format(span.ends_at)}`, phases }), t('trackEdit.overlapTitle'))
}
