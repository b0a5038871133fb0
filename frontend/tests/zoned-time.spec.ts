import { describe, expect, it } from 'vitest'
import { offsetLabel, utcToZoned, zonedToUtc } from '@/utils/zonedTime'

describe('zonedToUtc', () => {
  it('reads 17:00 in Asia/Shanghai as 09:00 UTC, whatever the browser zone', () => {
    expect(zonedToUtc('2027-03-10 17:00:00', 'Asia/Shanghai')).toBe('2027-03-10T09:00:00.000Z')
    expect(zonedToUtc('2027-03-10T17:00', 'Asia/Shanghai')).toBe('2027-03-10T09:00:00.000Z')
    expect(zonedToUtc('2027-01-01 00:30:00', 'Asia/Shanghai')).toBe('2026-12-31T16:30:00.000Z') // the day before in UTC
  })

  it('follows London across its clock changes (GMT in winter, BST from 28 March to 31 October 2027)', () => {
    expect(zonedToUtc('2027-03-10 17:00:00', 'Europe/London')).toBe('2027-03-10T17:00:00.000Z')
    expect(zonedToUtc('2027-03-27 23:30:00', 'Europe/London')).toBe('2027-03-27T23:30:00.000Z')
    expect(zonedToUtc('2027-03-28 00:59:59', 'Europe/London')).toBe('2027-03-28T00:59:59.000Z')
    expect(zonedToUtc('2027-03-28 02:00:00', 'Europe/London')).toBe('2027-03-28T01:00:00.000Z')
    expect(zonedToUtc('2027-03-29 17:00:00', 'Europe/London')).toBe('2027-03-29T16:00:00.000Z')
    expect(zonedToUtc('2027-10-30 17:00:00', 'Europe/London')).toBe('2027-10-30T16:00:00.000Z')
    expect(zonedToUtc('2027-10-31 17:00:00', 'Europe/London')).toBe('2027-10-31T17:00:00.000Z')
  })

  it('moves a skipped time on by the gap and takes the earlier of a repeated one', () => {
    // 01:30 does not happen in London on 28 March 2027: it is 02:30 BST
    expect(zonedToUtc('2027-03-28 01:30:00', 'Europe/London')).toBe('2027-03-28T01:30:00.000Z')
    expect(utcToZoned('2027-03-28T01:30:00.000Z', 'Europe/London')).toBe('2027-03-28 02:30:00')
    // 01:30 happens twice on 31 October 2027: first in BST (00:30 UTC), then in GMT (01:30 UTC)
    expect(zonedToUtc('2027-10-31 01:30:00', 'Europe/London')).toBe('2027-10-31T00:30:00.000Z')
    expect(utcToZoned('2027-10-31T01:30:00Z', 'Europe/London')).toBe('2027-10-31 01:30:00')
  })

  it('knows no wall clock in other text', () => {
    expect(zonedToUtc('', 'Asia/Shanghai')).toBeNull()
    expect(zonedToUtc(null, 'Asia/Shanghai')).toBeNull()
    expect(zonedToUtc('10/03/2027 17:00', 'Asia/Shanghai')).toBeNull()
  })
})

describe('utcToZoned', () => {
  it('shows an instant as the wall clock of the zone, so the picker reads back what was typed', () => {
    expect(utcToZoned('2027-03-10T09:00:00Z', 'Asia/Shanghai')).toBe('2027-03-10 17:00:00')
    expect(utcToZoned('2027-03-10T17:00:00+08:00', 'Asia/Shanghai')).toBe('2027-03-10 17:00:00') // as the API sends it
    expect(utcToZoned('2027-07-01T16:00:00Z', 'Europe/London')).toBe('2027-07-01 17:00:00')
    expect(utcToZoned(null, 'UTC')).toBe('')
    expect(utcToZoned('not a date', 'UTC')).toBe('')
    for (const [wall, zone] of [['2027-03-10 17:00:00', 'Asia/Shanghai'], ['2027-06-15 08:05:09', 'Europe/London'], ['2027-11-07 23:59:59', 'America/New_York']]) {
      expect(utcToZoned(zonedToUtc(wall, zone), zone)).toBe(wall)
    }
  })
})

describe('offsetLabel', () => {
  it('names the offset in force at the instant', () => {
    expect(offsetLabel(Date.parse('2027-03-10T09:00:00Z'), 'Asia/Shanghai')).toBe('UTC+08:00')
    expect(offsetLabel(Date.parse('2027-03-10T09:00:00Z'), 'Europe/London')).toBe('UTC+00:00')
    expect(offsetLabel(Date.parse('2027-07-10T09:00:00Z'), 'Europe/London')).toBe('UTC+01:00')
    expect(offsetLabel(Date.parse('2027-07-10T09:00:00Z'), 'America/New_York')).toBe('UTC-04:00')
    expect(offsetLabel(Date.parse('2027-07-10T09:00:00Z'), 'Asia/Kolkata')).toBe('UTC+05:30')
  })
})
