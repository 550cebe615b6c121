import {describe, expect, it} from 'vitest'
import {formatWallTime} from '../../src/scenario/duration.ts'

describe('formatWallTime', () => {
  it.each([
    [250, '250 ms'],
    [12_500, '12.5 s'],
    [59_000, '59.0 s'],
    [59_600, '1 min'],
    [125_000, '2 min 5 s'],
    [2_400_000, '40 min'],
    [3_599_400, '59 min 59 s'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
    [7_200_000, '2 h'],
  ])('prints %d ms as %s', (ms, text) => {
    expect(formatWallTime(ms)).toBe(text)
  })
})
