/** A metric cell of the codec tables (per sequence, per class): the value with its sign and
 * unit, and the class that colours it (gain green, loss red, anything else neutral). */
import { formatCodecValue, gainOrLoss, type CodecColumn } from '@/utils/codec'

export interface CodecCell {
  text: string
  className: 'codec-gain' | 'codec-loss' | 'codec-neutral'
}

export function codecCell(column: CodecColumn, value: number | null | undefined): CodecCell {
  return { text: formatCodecValue(column, value), className: `codec-${gainOrLoss(column, value) || 'neutral'}` }
}
