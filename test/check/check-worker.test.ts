/**
 * check's worker thread (check-worker.ts), given the data checkAll hands the pool, judges
 * each job as this thread does.
 */
import {describe, expect, it} from 'vitest'
import {runCheckJob, type CheckJob} from '../../src/check/check-all.ts'
import type {CheckOutcome} from '../../src/check/check.ts'
import {runPool} from '../../src/compare/worker-pool.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../src/variants/registry.ts'

describe("check's worker thread", () => {
  it('judges the jobs it takes as this thread does', async () => {
    const variants = await Promise.all(SHIPPED_VARIANTS.map((id) => loadVariant(id)))
    const traces = ['idle-rmmod', 'isolated-rt-hog', 'small-race'].map((f) => loadTraceArg(f))
    const jobs: CheckJob[] = traces.flatMap((_, trace) => variants.map((_v, variant) => ({trace, variant})))
    const here = jobs.map((job) => runCheckJob(traces, variants, job))
    // This thread takes a job only every 200 ms, so the worker, once up, takes the rest.
    const wait = new Int32Array(new SharedArrayBuffer(4))
    const taken: number[] = []
    const spread = await runPool<CheckJob, CheckOutcome>({
      jobs,
      run: (job) => {
        taken.push(jobs.indexOf(job))
        Atomics.wait(wait, 0, 0, 200)
        return runCheckJob(traces, variants, job)
      },
      worker: new URL('../../src/check/check-worker.ts', import.meta.url),
      data: {traces, variants: [...SHIPPED_VARIANTS], stepBudget: undefined},
      workers: 1,
      workersAfterMs: 0,
    })
    expect(taken.length).toBeLessThan(jobs.length)
    expect(spread).toEqual(here)
  }, 60_000)
})
