/** 简体中文界面文字，每节一个文件（见 ../catalogue.ts）；键必须与 en/ 一致（tests/i18n.spec.ts 检查）。 */
import { catalogue } from '../catalogue'

export default catalogue(import.meta.glob<{ default: Record<string, unknown> }>('./*.ts', { eager: true }))
