import {describe, expect, it} from 'vitest'
import {explore} from '../../src/explore/explore.ts'

// Slow tier (vitest project "slow"): the complete search of a shipped trace.
describe('exhaustive search on a shipped trace', () => {
  it('small-race × atomic-refcnt: complete, no finding, in exactly 217,466 schedules', async () => {
    const {result} = await explore({trace: 'small-race', variant: 'atomic-refcnt', strategy: 'exhaustive'})
    expect(result).toMatchObject({explored: 217_466, complete: true, stopped: 'exhausted', findings: {}, counterexamples: []})
  })
})
