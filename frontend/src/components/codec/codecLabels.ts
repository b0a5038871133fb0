/** Column headers of the codec tables in the reader's language. */
import type { ComposerTranslation } from 'vue-i18n'
import { codecColumns, qualityName, type CodecColumn, type CodecResults } from '@/utils/codec'

export function columnLabel(t: ComposerTranslation, column: CodecColumn, results: CodecResults): string {
  // an anchor file without a named encoder says "organiser": number it only
  const encoder = column.anchor?.encoder && column.anchor.encoder !== 'organiser' ? column.anchor.encoder : ''
  const anchor = !column.anchor ? '' : encoder ? t('codec.anchorNumbered', { number: column.anchor.number, encoder }) : t('codec.anchorPlain', { number: column.anchor.number })
  const metric = column.metric ? qualityName(column.metric, results.vmaf_model) : ''
  if (column.kind === 'bd_rate') return t('codec.bdRate', { metric, anchor })
  if (column.kind === 'bd_quality') return t('codec.bdQuality', { metric, anchor })
  if (column.kind === 'ratio') return t('codec.decRatio')
  return column.key === 'dec_cpu_s' ? t('codec.decCpu') : t('codec.decWall')
}

/** Every column of the results with its header, in the reader's language. */
export function labelledColumns(t: ComposerTranslation, results: CodecResults): (CodecColumn & { label: string })[] {
  return codecColumns(results).map((c) => ({ ...c, label: columnLabel(t, c, results) }))
}
