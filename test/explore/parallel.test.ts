import {describe, expect, it} from 'vitest'
import {explore} from '../../src/explore/explore.ts'
import {mergeResults} from '../../src/explore/parallel/merge.ts'

describe('workers and shards split a search without changing its result', () => {
  it('--workers 2 reports what one thread reports', async () => {
    const opts = {trace: 'small-race', variant: 'lockfree-naive', strategy: 'random', budget: 3000, all: true} as const
    const one = await explore(opts)
    const two = await explore({...opts, workers: 2})
    expect(two.result).toEqual(one.result)
    const first = await explore({...opts, all: false})
    expect((await explore({...opts, all: false, workers: 2})).result).toEqual(first.result)
  }, 60_000)

  it('--workers 2 exhaustive: the budget bounds the workers together, as it bounds one thread', async () => {
    const opts = {trace: 'small-race', variant: 'atomic-refcnt', strategy: 'exhaustive'} as const
    const one = await explore({...opts, budget: 1001})
    const two = await explore({...opts, budget: 1001, workers: 2})
    expect(one.result.explored).toBe(1001)
    expect(two.result.explored).toBe(1001)
    expect(two.result.stopped).toBe('budget')
  }, 60_000)

  it('--shard i/n results merge into the unsharded result', async () => {
    const opts = {trace: 'small-race', variant: 'lockfree-naive', strategy: 'pct', budget: 2000, all: true} as const
    const whole = await explore(opts)
    const parts = await Promise.all([0, 1, 2].map((index) => explore({...opts, shard: {index, count: 3}})))
    const merged = mergeResults(parts.map((p, i) => ({path: `part${i}.json`, result: p.result})))
    expect(merged.explored).toBe(whole.result.explored)
    expect(merged.findings).toEqual(whole.result.findings)
    expect(merged.counterexamples).toEqual(whole.result.counterexamples)
  }, 60_000)
})
