// The one ISO 8601 reader for date-time flags, in a zone where local time and UTC differ (and change with DST).
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {parseIsoTime} from '../../../src/lib/time/iso-time.js'

describe('parseIsoTime', () => {
  const savedZone = process.env.TZ
  // Node applies a new TZ at once; in UTC a test could not tell local time from UTC.
  before(() => {
    process.env.TZ = 'America/New_York'
  })
  after(() => {
    if (savedZone === undefined) delete process.env.TZ
    else process.env.TZ = savedZone
  })

  it('reads a date alone as local midnight, not UTC midnight', () => {
    assert.equal(parseIsoTime('2026-01-31'), Date.parse('2026-01-31T05:00:00Z'))
    assert.equal(parseIsoTime('2026-07-01'), Date.parse('2026-07-01T04:00:00Z'))
  })

  it('reads a date-time without a zone as local time, seconds and fractions optional', () => {
    assert.equal(parseIsoTime('2026-01-31T08:30'), Date.parse('2026-01-31T13:30:00Z'))
    assert.equal(parseIsoTime('2026-01-31 08:30:15'), Date.parse('2026-01-31T13:30:15Z'))
    assert.equal(parseIsoTime('2026-07-01T08:30:15.25'), Date.parse('2026-07-01T12:30:15.250Z'))
  })

  it('reads the zone it is given', () => {
    assert.equal(parseIsoTime('2026-01-31T12:00:00Z'), Date.parse('2026-01-31T12:00:00Z'))
    assert.equal(parseIsoTime('2026-01-31t12:00:00z'), Date.parse('2026-01-31T12:00:00Z'))
    assert.equal(parseIsoTime('2026-01-31T12:00:00.123456+01:00'), Date.parse('2026-01-31T11:00:00.123Z'))
    assert.equal(parseIsoTime('2026-01-31T12:00+0130'), Date.parse('2026-01-31T10:30:00Z'))
    assert.equal(parseIsoTime('2026-01-31 12:00:00-05'), Date.parse('2026-01-31T17:00:00Z'))
    assert.equal(parseIsoTime('2026-01-31T00:00:00-00:00'), Date.parse('2026-01-31T00:00:00Z'))
    assert.equal(parseIsoTime('  2026-01-31T12:00Z '), Date.parse('2026-01-31T12:00:00Z'))
  })

  it('keeps years below 100 and leap days as written', () => {
    assert.equal(parseIsoTime('0099-01-01T00:00:00Z'), Date.parse('0099-01-01T00:00:00Z'))
    assert.equal(new Date(parseIsoTime('0050-03-04') as number).getFullYear(), 50)
    assert.equal(parseIsoTime('2028-02-29T00:00Z'), Date.parse('2028-02-29T00:00:00Z'))
    assert.equal(parseIsoTime('2000-02-29T00:00Z'), Date.parse('2000-02-29T00:00:00Z'))
  })

  it('refuses anything else, including what Date.parse would take', () => {
    const refused = [
      '',
      '1h',
      '1700000000000',
      '20260131',
      '2026-1-31',
      '31/01/2026',
      'March 7',
      '31 Jan 2026',
      'Sat, 31 Jan 2026 12:00:00 GMT',
      '2026-13-01',
      '2026-00-10',
      '2026-02-30',
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-01-00',
      '2026-01-31T12',
      '2026-01-31T24:00',
      '2026-01-31T12:60',
      '2026-01-31T12:00:60',
      '2026-01-31Tnoon',
      '2026-01-31T12:00:00.',
      '2026-01-31Z',
      '2026-01-31T12:00:00+24:00',
      '2026-01-31T12:00:00+01:60',
      '2026-01-31T12:00:00+1',
      '2026-01-31T12:00:00 UTC',
    ]
    for (const text of refused) assert.equal(parseIsoTime(text), undefined, text)
  })
})
