import { describe, expect, it } from 'vitest'
import { fieldOf, toApiError } from '@/api/errors'

describe('server errors', () => {
  it('maps 422 entries onto their fields', () => {
    const err = toApiError(422, {
      detail: [
        { loc: ['body', 'email'], msg: '取值无效', type: 'value_error' },
        { loc: ['body', 'password'], msg: '内容过短', type: 'string_too_short' },
        { loc: ['body', 'targets', 0, 'threshold'], msg: 'not a number', type: 'float_parsing' },
      ],
    })
    expect(err.status).toBe(422)
    expect(err.fields).toEqual({ email: '取值无效', password: '内容过短', 'targets.0.threshold': 'not a number' })
  })

  it('keeps the message and code of other errors', () => {
    const err = toApiError(409, { detail: 'already a member', code: 'conflict' })
    expect(err.message).toBe('already a member')
    expect(err.code).toBe('conflict')
    expect(err.fields).toEqual({})
  })

  it('names the field of a loc', () => {
    expect(fieldOf(['body', 'name'])).toBe('name')
    expect(fieldOf(['body'])).toBe('_')
  })
})
