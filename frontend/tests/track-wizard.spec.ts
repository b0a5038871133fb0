import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'
import SchemaForm from '@/views/organiser/track-wizard/SchemaForm.vue'
import SplitPicker from '@/views/organiser/track-wizard/SplitPicker.vue'
import { initialValue, kindOf, resolve, validate, type JsonSchema } from '@/views/organiser/track-wizard/schemaForm'
import { parseItemIds, splitByRatio, type Split } from '@/views/organiser/track-wizard/split'

const global = { plugins: [ElementPlus, i18n] }
afterEach(() => {
  document.body.innerHTML = ''
})

// a pydantic-style config schema, as an evaluator's SPEC publishes it
const schema: JsonSchema = {
  type: 'object',
  properties: {
    threshold: { type: 'number', title: 'Threshold', minimum: 0, maximum: 1, default: 0.5 },
    average: { enum: ['macro', 'micro'], title: 'Average', default: 'macro' },
    positive_label: { anyOf: [{ type: 'string' }, { type: 'null' }], title: 'Positive label', default: null },
    strict: { type: 'boolean', default: false },
    qps: { type: 'array', items: { type: 'integer' }, default: [22, 27] },
    crop: { $ref: '#/$defs/Crop' },
  },
  required: ['threshold'],
  $defs: { Crop: { type: 'object', title: 'Crop', properties: { width: { type: 'integer', minimum: 16, default: 64 } } } },
}

describe('schema form model', () => {
  it('resolves $ref and optional anyOf, and knows each kind', () => {
    expect(kindOf(resolve(schema.properties!.crop, schema))).toBe('object')
    expect(kindOf(resolve(schema.properties!.positive_label, schema))).toBe('string')
    expect(kindOf(schema.properties!.average)).toBe('enum')
    expect(kindOf(schema.properties!.qps)).toBe('array')
    expect(kindOf({ type: 'object' })).toBe('json')
  })
  it('starts from the defaults, keeping given values', () => {
    expect(initialValue(schema, schema, { average: 'micro' })).toEqual({
      threshold: 0.5, average: 'micro', positive_label: null, strict: false, qps: [22, 27], crop: { width: 64 },
    })
  })
  it('reports required fields and ranges by path', () => {
    expect(validate(schema, schema, { threshold: 2, crop: { width: 8 } })).toEqual([
      ['threshold', 'maximum', 1],
      ['crop.width', 'minimum', 16],
    ])
    expect(validate(schema, schema, {})).toEqual([['threshold', 'required']])
  })
})

describe('SchemaForm', () => {
  it('renders an input per property, nested objects in a fieldset, and emits the edited config', async () => {
    const value = initialValue(schema, schema, {}) as Record<string, unknown>
    const w = mount(SchemaForm, { props: { schema, modelValue: value, errors: { threshold: 'too big' } }, global })
    await new Promise((r) => setTimeout(r, 250)) // Element Plus shows a form item's error after a short debounce
    expect(w.find('[data-testid="cfg-threshold"]').text()).toContain('too big')
    expect(w.find('[data-testid="cfg-crop.width"]').exists()).toBe(true)
    expect(w.find('legend').text()).toBe('Crop')
    const qps = w.find('[data-testid="cfg-qps"] input')
    await qps.setValue('22, 32, 37')
    const emitted = w.emitted('update:modelValue')!.at(-1)![0] as Record<string, unknown>
    expect(emitted.qps).toEqual([22, 32, 37])
    expect(emitted.threshold).toBe(0.5)
    const width = w.find('[data-testid="cfg-crop.width"] input')
    await width.setValue('128')
    await width.trigger('change')
    const nested = w.emitted('update:modelValue')!.at(-1)![0] as Record<string, unknown>
    expect(nested.crop).toEqual({ width: 128 })
  })
})

describe('split', () => {
  const ids = Array.from({ length: 20 }, (_, i) => `img_${String(i).padStart(3, '0')}`)
  it('splits by ratio deterministically for a seed, every item on exactly one side', () => {
    const a = splitByRatio(ids, 0.3, 7)
    expect(a.public).toHaveLength(6)
    expect(a.private).toHaveLength(14)
    expect(new Set([...a.public, ...a.private]).size).toBe(20)
    expect(splitByRatio(ids, 0.3, 7)).toEqual(a)
    expect(splitByRatio(ids, 0.3, 8).public).not.toEqual(a.public)
  })
  it('reads ids from a CSV first column, skipping the header and duplicates', () => {
    expect(parseItemIds('id,label\na.png,1\nb.png,0\n\na.png,1\n')).toEqual(['a.png', 'b.png'])
  })
})

describe('SplitPicker', () => {
  it('adds pasted items, shows the counts, splits by ratio and moves an item by hand', async () => {
    let split: Split = { public: [], private: [] }
    const w = mount(SplitPicker, {
      props: { modelValue: split, 'onUpdate:modelValue': (v: Split) => { split = v; void w.setProps({ modelValue: v }) } },
      global,
    })
    await w.find('textarea[data-testid="split-paste"], [data-testid="split-paste"] textarea').setValue('a\nb\nc\nd')
    await w.find('[data-testid="split-add"]').trigger('click')
    expect(split).toEqual({ public: [], private: ['a', 'b', 'c', 'd'] })
    expect(w.find('[data-testid="split-counts"]').text()).toContain('4')
    await w.find('[data-testid="split-apply"]').trigger('click')
    expect(split.public).toHaveLength(2)
    expect(split.private).toHaveLength(2)
    expect(split).toEqual(splitByRatio(['a', 'b', 'c', 'd'], 0.5, 2024))
    const priv = split.private[0]
    await w.find(`[data-testid="split-${priv}-public"] input, input[data-testid="split-${priv}-public"]`).setValue(true)
    expect(split.public).toHaveLength(3)
    expect(split.public).toContain(priv)
    expect(w.find('[data-testid="split-counts"]').text()).toMatch(/3.*1/)
  })
})
