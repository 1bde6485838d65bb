// Numbers in summaries and progress lines: grouped by hand as toLocaleString('en-US') groups them (which loads ICU's
// number formatting, ~25 ms), checked against it.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {grouped, rate} from '../../../src/lib/terminal/numbers.js'

describe('grouped', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    const values = [0, 7, 99, 100, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 123_456_789, 2 ** 53 - 1, -1, -1234]
    for (let n = 1; n < 1e15; n = n * 7 + 3) values.push(n, -n)
    for (const n of values) assert.equal(grouped(n), n.toLocaleString('en-US'), String(n))
  })

  it('writes a fixed number of decimals as toLocaleString("en-US") with that many fraction digits', () => {
    const values = [0, 0.5, 1.005, 5.005, 12.3456, 999.999, 1234.5678, 1_000_000.25, -9876.54321, 2.675, 0.125]
    // A fixed sequence of awkward fractions: latencies and rates are measured, not chosen.
    for (let x = 0.0001; x < 1e9; x = x * 3.7 + 0.0013) values.push(x, Math.round(x * 1000) / 1000 + 0.0005)
    for (const n of values) {
      for (const digits of [1, 2, 3, 4]) {
        const expected = n.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits})
        assert.equal(grouped(n, digits), expected, `${n} with ${digits} decimals`)
      }
    }
  })

  it('leaves what toFixed writes in exponent form as it is', () => {
    assert.equal(grouped(1e21), '1e+21')
  })
})

describe('rate', () => {
  it('is messages per second, grouped from 100 on', () => {
    assert.equal(rate(1_000_000, 1370), '729,927')
    assert.equal(rate(5, 100), '50.0')
    assert.equal(rate(5, 0), '0')
  })
})
