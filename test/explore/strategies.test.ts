import {describe, expect, it} from 'vitest'
import {explore} from '../../src/explore/explore.ts'

const RACES = ['freed-while-referenced', 'use-after-free']

describe('schedule search strategies', () => {
  it('random, pct and delay find the naive race on small-race, which the plain run does not show', async () => {
    for (const strategy of ['random', 'pct', 'delay'] as const) {
      const {result} = await explore({trace: 'small-race', variant: 'lockfree-naive', strategy, budget: 5000})
      expect(result.plainRun).toEqual([])
      expect(result.stopped).toBe('finding')
      expect(result.counterexamples.length).toBeGreaterThan(0)
      for (const c of result.counterexamples) expect(RACES).toContain(c.finding.kind)
    }
  })

  it('find nothing with atomic refcounts in the same budget', async () => {
    for (const strategy of ['random', 'pct', 'delay'] as const) {
      const {result} = await explore({trace: 'small-race', variant: 'atomic-refcnt', strategy, budget: 1000})
      expect(result).toMatchObject({explored: 1000, stopped: 'budget', findings: {}})
    }
  })
})
