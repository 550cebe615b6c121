import {describe, expect, it} from 'vitest'
import {loadVariants} from '../../src/compare/load-inputs.ts'
import {runSearch, runSearches, type SearchJob, type SearchSetup} from '../../src/report/report-searches.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'

const IDS = ['lockfree-naive', 'krmmod', 'stop-machine']

async function setup(): Promise<SearchSetup> {
  const variants = await loadVariants(IDS)
  return {
    traces: [{scenario: loadTraceArg('small-race'), arg: 'small-race'}],
    variants: variants.map((variant, i) => ({variant, arg: IDS[i]})),
    strategy: 'random',
    timeMs: null,
  }
}

const JOBS: SearchJob[] = IDS.map((_, variant) => ({trace: 0, variant, budget: 40}))

describe("report --explore's searches", () => {
  it('give, spread over a worker thread, the results of the same searches in this thread, in job order', {timeout: 120_000}, async () => {
    const s = await setup()
    const alone = JOBS.map((job) => runSearch(s, job))
    expect(alone.map((r) => r.counterexamples.length)).toEqual([1, 1, 0])
    const done: number[] = []
    // This thread checks the signal before each search it runs: after its first, it waits
    // there 3 s, so the worker thread is up and takes the last search.
    let checks = 0
    const slow = {get aborted() {
      if (checks++ > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000)
      return false
    }} as AbortSignal
    const spread = await runSearches(s, JOBS, {stop: slow, workers: 1, workersAfterMs: 0, onDone: (d) => done.push(d)})
    expect(spread).toEqual(alone)
    expect(done).toEqual([1, 2, 3])
  })

  it('start none once stopped', async () => {
    const stop = new AbortController()
    stop.abort()
    expect(await runSearches(await setup(), JOBS, {stop: stop.signal, workers: 0})).toEqual([null, null, null])
  })
})
