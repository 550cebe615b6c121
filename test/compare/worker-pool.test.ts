import {describe, expect, it} from 'vitest'
import {runComparison, runComparisonInParallel, runCompareJob, type CompareJob} from '../../src/compare/compare.ts'
import {loadScenarios, loadVariants} from '../../src/compare/load-inputs.ts'
import {runPool, type PoolWork} from '../../src/compare/worker-pool.ts'
import {VariantError} from '../../src/engine/variant-error.ts'
import {SHIPPED_VARIANTS} from '../../src/variants/registry.ts'
import logLengthView from '../fixtures/log-length-view.ts'
import {produce} from 'immer'

const WORKER = new URL('../fixtures/pool-worker.ts', import.meta.url)

/**
 * Squares, here and in a worker thread (which adds `offset` instead of 1). Every job here
 * but the first waits for the worker to be up, then takes 2 ms, so both threads take jobs.
 */
function squares(jobs: number[], seen: string[], offset = 1): PoolWork<number, number> {
  const ready = new Int32Array(new SharedArrayBuffer(4))
  let first = true
  return {
    jobs,
    run: (n) => {
      if (!first) Atomics.wait(ready, 0, 0, 20_000)
      first = false
      const until = performance.now() + 2
      while (performance.now() < until);
      if (n < 0) throw new VariantError(`negative ${n}`)
      return n * n + 1
    },
    worker: WORKER,
    data: {offset, ready},
    workers: 1,
    workersAfterMs: 0,
    onResult: (r, i) => seen.push(`${i}:${r}`),
  }
}

describe('runPool', () => {
  it('has worker threads take jobs when there are enough', async () => {
    // The worker adds its own offset, so its results can be told apart.
    const results = await runPool(squares(Array.from({length: 200}, (_, i) => i), [], 1000))
    expect(results.some((r, n) => r === n * n + 1000)).toBe(true)
    expect(results.every((r, n) => r === n * n + 1000 || r === n * n + 1)).toBe(true)
  })


  it('returns and reports results in job order, whichever thread ran them', async () => {
    const jobs = Array.from({length: 200}, (_, i) => i)
    const seen: string[] = []
    const results = await runPool(squares(jobs, seen))
    expect(results).toEqual(jobs.map((n) => n * n + 1))
    expect(seen).toEqual(jobs.map((n) => `${n}:${n * n + 1}`))
  })

  it('throws the first failing job in job order, after reporting every earlier result', async () => {
    const jobs = Array.from({length: 200}, (_, i) => (i === 150 || i === 170 ? -i : i))
    const seen: string[] = []
    await expect(runPool(squares(jobs, seen))).rejects.toThrow(new VariantError('negative -150'))
    expect(seen).toHaveLength(150)
  })

  it('leaves every job to this thread when a worker cannot start', async () => {
    const jobs = Array.from({length: 50}, (_, i) => i)
    const work = {...squares(jobs, []), worker: new URL('../fixtures/no-such-worker.ts', import.meta.url)}
    // This thread's jobs would wait for the worker to be up; this one never is.
    const results = await runPool({...work, run: (n: number) => n * n + 1})
    expect(results).toEqual(jobs.map((n) => n * n + 1))
  })
})

describe('runComparisonInParallel', () => {
  it('gives what runComparison gives, and each cell\'s first-seed view in the same order, with a worker thread or without', async () => {
    const scenarios = loadScenarios(['small-race', 'get-vs-remove', 'kthread-hang']).map((s) =>
      produce(s, (d) => {
        d.horizon = Math.min(d.horizon, 1_000_000)
      }),
    )
    const variants = await loadVariants(['stop-machine', 'lockfree-naive', 'atomic-refcnt'])
    const views = (calls: string[]) => ({
      viewer: logLengthView,
      module: new URL('../fixtures/log-length-view.ts', import.meta.url),
      onView: (view: string, s: {name: string}, v: {meta: {id: string}}) => calls.push(`${s.name} ${v.meta.id}: ${view}`),
    })
    const one: string[] = []
    const many: string[] = []
    const alone = runComparison(scenarios, variants, {seeds: {count: 2}, search: 'expected'})
    expect(await runComparisonInParallel(scenarios, variants, {seeds: {count: 2}, views: views(one), workers: 0, search: 'expected'})).toEqual(alone)
    const spread = await runComparisonInParallel(scenarios, variants, {seeds: {count: 2}, views: views(many), workers: 1, workersAfterMs: 0, search: 'expected'})
    expect(spread).toEqual(alone)
    // small-race leaves lockfree-naive's race to search; every other cell was not searched.
    expect(spread.traces.flatMap((t) => t.cells.map((c) => c.searched))).toEqual([null, ['use-after-free', 'freed-while-referenced'], null, null, null, null, null, null, null])
    expect(many).toEqual(one)
    // One view a cell, of its first seed, from its event log.
    expect(one).toHaveLength(9)
    expect(one[0]).toMatch(/^small-race stop-machine: small-race seed \d+: [1-9]\d* log lines$/)
  })
})

describe("compare's worker thread", () => {
  it('makes a logged run into its view as this thread does', async () => {
    const scenarios = loadScenarios(['small-race', 'idle-rmmod', 'kthread-hang'])
    const ids = [...SHIPPED_VARIANTS]
    const variants = await loadVariants(ids)
    const jobs: CompareJob[] = scenarios.flatMap((s, scenario) => ids.map((_, variant) => ({scenario, variant, seed: s.seed, logged: true})))
    const module = new URL('../fixtures/log-length-view.ts', import.meta.url)
    const here = jobs.map((job) => runCompareJob(scenarios, variants, job, logLengthView))
    // This thread takes a job only every 300 ms (30 jobs: 9 s for a worker started from the
    // sources, under coverage too), so the worker, once up, takes the rest.
    const wait = new Int32Array(new SharedArrayBuffer(4))
    const taken: number[] = []
    const spread = await runPool({
      jobs,
      run: (job) => {
        taken.push(jobs.indexOf(job))
        Atomics.wait(wait, 0, 0, 300)
        return runCompareJob(scenarios, variants, job, logLengthView)
      },
      worker: new URL('../../src/compare/compare-worker.ts', import.meta.url),
      data: {scenarios, variants: ids, viewer: module.href},
      workers: 1,
      workersAfterMs: 0,
    })
    expect(taken.length).toBeLessThan(jobs.length)
    expect(spread).toEqual(here)
    expect((here[0] as {view: string}).view).toMatch(/^small-race seed \d+: [1-9]\d* log lines$/)
  }, 60_000)
})
