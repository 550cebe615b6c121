/**
 * checkAll spread over a worker thread (check-worker.ts) judges every trace × variant as
 * this thread alone does, and reports the outcomes in the same order.
 */
import {describe, expect, it} from 'vitest'
import {checkAll} from '../../src/check/check-all.ts'
import type {CheckOutcome} from '../../src/check/check.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../src/variants/registry.ts'

describe('checkAll', () => {
  it('gives the same outcomes, in the same order, with a worker thread as without', async () => {
    const variants = await Promise.all(SHIPPED_VARIANTS.map((id) => loadVariant(id)))
    const files = ['get-vs-remove', 'idle-rmmod', 'io-storm', 'small-race']
    const outcomes = async (workers: number): Promise<CheckOutcome[]> => {
      const out: CheckOutcome[] = []
      await checkAll(files, loadTraceArg, variants, (o) => out.push(o), {workers, workersAfterMs: 0})
      return out
    }
    const alone = await outcomes(0)
    expect(alone.length).toBeGreaterThan(10)
    expect(await outcomes(1)).toEqual(alone)
  })
})
