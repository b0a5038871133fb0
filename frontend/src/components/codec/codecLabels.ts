/** Column headers of the codec tables in the reader's language. */
import type { ComposerTranslation } from 'vue-i18n'
import { qualityName, type CodecColumn, type CodecResults } from '@/utils/codec'

export function columnLabel(t: ComposerTranslation, column: CodecColumn, results: CodecResults): string {
  const anchor = column.anchor ? t('codec.anchorNumbered', { number: column.anchor.number, encoder: column.anchor.encoder || column.anchor.file }) : ''
  const metric = column.metric ? qualityName(column.metric, results.vmaf_model) : ''
  if (column.kind === 'bd_rate') return t('codec.bdRate', { metric, anchor })
  if (column.kind === 'bd_quality') return t('codec.bdQuality', { metric, anchor })
  if (column.kind === 'ratio') return t('codec.decRatio')
  return column.key === 'dec_cpu_s' ? t('codec.decCpu') : t('codec.decWall')
}
