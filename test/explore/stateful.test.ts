import {describe, expect, it} from 'vitest'
import {exhaustiveSearch} from '../../src/explore/dpor/exhaustive.ts'
import {statefulSearch, type StatefulOptions} from '../../src/explore/stateful/stateful-search.ts'
import {loadTrace, parseTrace} from '../../src/scenario/load.ts'
import {loadVariant} from '../../src/variants/registry.ts'
import {atomic, MICRO_TRACE, naive} from '../fixtures/micro-refcount.ts'
import {bruteForce, options, outcome} from '../helpers/exhaustive.ts'

const TINY = new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname

/** A whole stateful search: every kind, no budget. */
function stateful(extra: Partial<StatefulOptions> = {}): StatefulOptions {
  return {budget: 1e9, all: true, skip: new Set(), maxStates: 1e6, keepGoing: () => true, ...extra}
}

describe('stateful search (state matching over the untimed model)', () => {
  it('reaches every outcome and finding kind that brute-force enumeration finds', () => {
    for (const variant of [naive, atomic]) {
      const target = {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant}
      const brute = bruteForce(target)
      const outcomes = new Set<string>()
      const r = statefulSearch(target, stateful({onSchedule: (res) => outcomes.add(outcome(res))}))
      expect(r).toMatchObject({complete: true, states: {exact: true, full: false}})
      expect(outcomes).toEqual(brute.outcomes)
      expect(new Set(Object.keys(r.findings))).toEqual(brute.kinds)
      expect(r.explored).toBeLessThan(brute.count / 5)
      expect(r.states!.stored).toBeGreaterThan(10)
      expect(r.states!.matched).toBeGreaterThan(0)
    }
  })

  it('agrees with DPOR on a small trace: the same kinds, and a witness that replays to its finding', async () => {
    const scenario = loadTrace(TINY)
    const target = {scenario, variant: await loadVariant('lockfree-naive')}
    const dpor = exhaustiveSearch(target, options())
    const r = statefulSearch(target, stateful())
    expect(r).toMatchObject({complete: true, states: {exact: true}})
    expect(Object.keys(r.findings)).toEqual(Object.keys(dpor.findings))
    for (const kind of Object.keys(r.findings)) expect(r.lists[kind].list.values.length).toBeGreaterThan(0)
  })

  it('says when leaving the clock out is not exact: atomic-refcnt polls on a timer until the horizon', async () => {
    // synchronize_rcu sleeps a jiffy at a time until every CPU is quiescent; untimed, the
    // getter can be held off until the horizon cuts the polling. Where the horizon cuts
    // depends on the times the state leaves out, so the search must not claim completeness.
    const r = statefulSearch({scenario: loadTrace(TINY), variant: await loadVariant('atomic-refcnt')}, stateful())
    expect(r).toMatchObject({complete: false, stopped: 'exhausted', states: {exact: false, inexact: 'a run ended at the horizon'}})
  })

  it('stops storing at --max-states and still covers the space (more runs, same kinds)', () => {
    const target = {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: naive}
    const whole = statefulSearch(target, stateful())
    const bounded = statefulSearch(target, stateful({maxStates: 20}))
    expect(bounded.states).toMatchObject({stored: 20, full: true})
    expect(bounded.complete).toBe(true)
    expect(Object.keys(bounded.findings)).toEqual(Object.keys(whole.findings))
    expect(bounded.explored).toBeGreaterThan(whole.explored)
  })
})
