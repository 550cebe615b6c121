import {describe, expect, it} from 'vitest'
import {explore} from '../../src/explore/explore.ts'
import {shippedIds} from '../../src/variants/registry.ts'

const RACES = ['freed-while-referenced', 'use-after-free']

// Slow tier (vitest project "slow"): get-vs-remove's runs are long.
describe('schedule search strategies on a shipped trace', () => {
  it.skipIf(!shippedIds().includes('lockfree-naive'))('PCT and random find the lockfree-naive race on get-vs-remove', async () => {
    for (const strategy of ['pct', 'random'] as const) {
      const {result} = await explore({trace: 'get-vs-remove', variant: 'lockfree-naive', strategy, budget: 200})
      expect(result.stopped).toBe('finding')
      expect(Object.keys(result.findings).some((k) => RACES.includes(k))).toBe(true)
    }
  })
})
