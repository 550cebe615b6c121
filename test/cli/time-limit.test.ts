import {describe, expect, it} from 'vitest'
import {parseTimeLimit} from '../../src/cli/time-limit.ts'

describe('--time (parseTimeLimit)', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5 s', 1500],
    ['40m', 2_400_000],
    ['40min', 2_400_000],
    ['.5m', 30_000],
    ['2h', 7_200_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseTimeLimit(text)).toBe(ms)
  })

  it('refuses a bare number (saying seconds), a negative, zero or too large limit, and anything else (naming the units)', () => {
    expect(() => parseTimeLimit('30')).toThrow('--time: a wall-clock limit needs a unit, e.g. 30s (seconds) or 30ms; got the bare number "30"')
    for (const bad of ['40 minutes', 'm', '1d', '5M']) {
      expect(() => parseTimeLimit(bad)).toThrow(`--time: expected a wall-clock limit like 500ms, 30s, 40m or 2h, got "${bad}"`)
    }
    expect(() => parseTimeLimit('-5s')).toThrow('--time: a duration cannot be negative, got "-5s"')
    expect(() => parseTimeLimit('99999999999s')).toThrow('--time: duration "99999999999s" is too large')
    expect(() => parseTimeLimit('3000h')).toThrow('--time: duration "3000h" is too large')
    for (const zero of ['0s', '0m']) expect(() => parseTimeLimit(zero)).toThrow(`--time: a wall-clock limit must be more than 0, got "${zero}"`)
  })
})
