/** English UI strings, one file per section (see ../catalogue.ts). */
import { catalogue } from '../catalogue'

export default catalogue(import.meta.glob<{ default: Record<string, unknown> }>('./*.ts', { eager: true }))
