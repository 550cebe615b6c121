import {describe, expect, it} from 'vitest'
import {formatDuration, parseDuration} from '../../src/scenario/duration.ts'

describe('parseDuration', () => {
  it.each([
    ['250us', 250_000],
    ['1.5ms', 1_500_000],
    ['2s', 2_000_000_000],
    ['100ns', 100],
    ['0.1s', 100_000_000],
    ['.5us', 500],
    ['1.0005us', 1_001],
    ['1.50 ms', 1_500_000],
    ['250 µs', 250_000],
    ['0', 0],
    [0, 0],
  ] as const)('%j is %d ns', (text, ns) => {
    expect(parseDuration(text)).toBe(ns)
  })

  it.each([
    [250, /bare number 250/],
    ['250', /bare number "250"/],
    ['1.5', /bare number/],
    ['-1ms', /cannot be negative/],
    ['1 5ms', /expected a duration/],
    ['1e3us', /expected a duration/],
    ['5 min', /expected a duration/],
    ['ms', /expected a duration/],
    ['', /expected a duration/],
    ['1  ms', /expected a duration/],
    ['99999999999999s', /too large/],
  ] as const)('rejects %j', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(reason)
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0 ns'],
    [800, '800 ns'],
    [999, '999 ns'],
    [1_000, '1.00 µs'],
    [250_000, '250 µs'],
    [12_340_000, '12.3 ms'],
    [1_500_000, '1.50 ms'],
    [999_600, '1.00 ms'],
    [9_996, '10.0 µs'],
    [5_000_000_000, '5.00 s'],
    [1_500_000_000_000, '1500 s'],
    [-2_000, '-2.00 µs'],
    [Infinity, '∞'],
  ])('%d ns is %j', (ns, text) => {
    expect(formatDuration(ns)).toBe(text)
  })

  it('reads back through parseDuration to 3 significant figures', () => {
    expect(parseDuration(formatDuration(1_234_567))).toBe(1_230_000)
  })
})
