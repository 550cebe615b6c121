import {describe, expect, it} from 'vitest'
import {exhaustiveSearch} from '../../src/explore/dpor/exhaustive.ts'
import {statefulSearch} from '../../src/explore/stateful/stateful-search.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {MICRO_STOP_TRACE, stop} from '../fixtures/micro-refcount.ts'
import {bruteForce, keepStaleIpis, options, outcomeOfSpinning} from '../helpers/exhaustive.ts'

// Slow tier (vitest project "slow"): brute force enumerates 470,157 schedules.
describe('exhaustive search against brute force, with wakeups and IPIs', () => {
  it('covers what brute force finds with wakeups, IPIs and preemption, though it drops stale IPIs', () => {
    // micro-stop's remover wakes an RT thread on the getter's CPU: where the getter is
    // preempted decides the outcome. Brute force lets every reschedule IPI arrive, even
    // one whose CPU has switched since it was sent; the search drops those.
    const target = {scenario: parseTrace(MICRO_STOP_TRACE, 'micro-stop.yaml'), variant: stop}
    const brute = bruteForce(target, outcomeOfSpinning, keepStaleIpis)
    const outcomes = new Set<string>()
    const r = exhaustiveSearch(target, options({onSchedule: (res) => outcomes.add(outcomeOfSpinning(res))}))
    expect(r.complete).toBe(true)
    expect(outcomes).toEqual(brute.outcomes)
    expect(new Set(Object.keys(r.findings))).toEqual(brute.kinds)
    expect(brute.kinds).toEqual(new Set(['freed-while-referenced', 'use-after-free']))
    expect(r.explored).toBeLessThan(brute.count / 1000)
    // The stateful search reaches the same outcomes and kinds (it keeps stale IPIs out too).
    const reached = new Set<string>()
    const s = statefulSearch(target, {budget: 1e9, all: true, skip: new Set(), maxStates: 1e6, keepGoing: () => true, onSchedule: (res) => reached.add(outcomeOfSpinning(res))})
    expect(s).toMatchObject({complete: true, states: {exact: true}})
    expect(reached).toEqual(brute.outcomes)
    expect(new Set(Object.keys(s.findings))).toEqual(brute.kinds)
  })
})
