/** A focused JSON Schema → form model for evaluator configs (object, string, enum, number, integer, boolean, arrays of those). */

export interface JsonSchema {
  type?: string | string[]
  title?: string
  description?: string
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  $ref?: string
  $defs?: Record<string, JsonSchema>
  definitions?: Record<string, JsonSchema>
}

export type FieldKind = 'string' | 'enum' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'json'

/** Resolve a local `$ref` and pydantic's `anyOf: [X, {type: null}]` for optional fields. */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema
  for (let guard = 0; guard < 10; guard++) {
    if (s.$ref?.startsWith('#/')) {
      const path = s.$ref.slice(2).split('/')
      let target: unknown = root
      for (const p of path) target = (target as Record<string, unknown> | undefined)?.[p]
      const { $ref: _ref, ...rest } = s
      s = { ...(target as JsonSchema), ...rest }
      continue
    }
    if (s.anyOf) {
      const real = s.anyOf.filter((a) => a.type !== 'null')
      if (real.length === 1) {
        const { anyOf: _a, ...rest } = s
        s = { ...real[0], ...rest }
        continue
      }
    }
    break
  }
  return s
}

export function kindOf(schema: JsonSchema): FieldKind {
  if (schema.enum) return 'enum'
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return type
  if (type === 'object' && schema.properties) return 'object'
  if (type === 'array' && schema.items) {
    const item = schema.items
    if (item.enum || ['string', 'number', 'integer'].includes(String(item.type))) return 'array'
  }
  return 'json'
}

/** The config the form starts with: the given values over the schema's defaults. */
export function initialValue(schema: JsonSchema, root: JsonSchema, value: unknown): unknown {
  const s = resolve(schema, root)
  const kind = kindOf(s)
  if (kind === 'object') {
    const given = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>
    const out: Record<string, unknown> = { ...given }
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      const v = initialValue(prop, root, given[key])
      if (v !== undefined) out[key] = v
    }
    return out
  }
  if (value !== undefined) return value
  return s.default
}

/** Problems a form value has against its schema (required, ranges), as [path, problem code] pairs. */
export function validate(schema: JsonSchema, root: JsonSchema, value: unknown, path = ''): [string, string, number?][] {
  const s = resolve(schema, root)
  const kind = kindOf(s)
  const out: [string, string, number?][] = []
  if (kind === 'object') {
    const obj = (value ?? {}) as Record<string, unknown>
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      const p = path ? `${path}.${key}` : key
      const v = obj[key]
      if ((v === undefined || v === null || v === '') && (s.required ?? []).includes(key)) out.push([p, 'required'])
      else if (v !== undefined && v !== null) out.push(...validate(prop, root, v, p))
    }
  } else if (kind === 'number' || kind === 'integer') {
    const n = value as number
    if (typeof n !== 'number' || Number.isNaN(n)) out.push([path, 'number'])
    else {
      if (kind === 'integer' && !Number.isInteger(n)) out.push([path, 'integer'])
      if (s.minimum !== undefined && n < s.minimum) out.push([path, 'minimum', s.minimum])
      if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) out.push([path, 'exclusiveMinimum', s.exclusiveMinimum])
      if (s.maximum !== undefined && n > s.maximum) out.push([path, 'maximum', s.maximum])
      if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) out.push([path, 'exclusiveMaximum', s.exclusiveMaximum])
    }
  } else if (kind === 'enum' && value !== undefined && !s.enum!.includes(value)) out.push([path, 'enum'])
  return out
}
