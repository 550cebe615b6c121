import {describe, expect, it} from 'vitest'
import {exhaustiveSearch} from '../../src/explore/dpor/exhaustive.ts'
import {statefulSearch, type StatefulOptions} from '../../src/explore/stateful/stateful-search.ts'
import {loadTrace, parseTrace} from '../../src/scenario/load.ts'
import type {ExploreTarget} from '../../src/explore/run-target.ts'
import type {PartResult} from '../../src/explore/search.ts'
import {loadVariant} from '../../src/variants/registry.ts'
import {SPIN_AND_STOP, STOP_ONLY} from '../fixtures/litmus-traces.ts'
import {atomic, locked, MICRO_STOP_TRACE, MICRO_TRACE, naive, rcu, stop} from '../fixtures/micro-refcount.ts'
import {runCli} from '../helpers/cli.ts'
import {bruteForce, options, outcome, outcomeOfSpinning} from '../helpers/exhaustive.ts'

const TINY = new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname

/** A whole stateful search's result, and the outcomes (outcomeOfSpinning) of the runs it ended. */
function ends(target: ExploreTarget, extra: Partial<StatefulOptions>): {r: PartResult; outcomes: Set<string>} {
  const outcomes = new Set<string>()
  const r = statefulSearch(target, stateful({...extra, onSchedule: (res) => outcomes.add(outcomeOfSpinning(res))}))
  return {r, outcomes}
}

/** A whole stateful search: every kind, no budget. */
function stateful(extra: Partial<StatefulOptions> = {}): StatefulOptions {
  return {budget: 1e9, all: true, skip: new Set(), maxStates: 1e6, keepGoing: () => true, ...extra}
}

describe('stateful search (state matching over the untimed model)', () => {
  it('reaches every outcome and finding kind that brute-force enumeration finds', () => {
    for (const variant of [naive, atomic, locked]) {
      const target = {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant}
      const brute = bruteForce(target)
      const outcomes = new Set<string>()
      const r = statefulSearch(target, stateful({onSchedule: (res) => outcomes.add(outcome(res))}))
      expect(r).toMatchObject({complete: true, states: {exact: true, full: false}})
      // A mutex_lock that slept took more steps than one that did not, to the same state
      // (its caller forgets which, ControlRecorder.returned): there, steps are the path's.
      const withoutSteps = (o: Set<string>): Set<string> => new Set([...o].map((x) => x.replace(/ steps \d+/, '')))
      if (variant === locked) expect(withoutSteps(outcomes)).toEqual(withoutSteps(brute.outcomes))
      else expect(outcomes).toEqual(brute.outcomes)
      expect(new Set(Object.keys(r.findings))).toEqual(brute.kinds)
      expect(r.explored).toBeLessThan(brute.count / 5)
      expect(r.states!.stored).toBeGreaterThan(10)
    }
  })

  it('cuts runs with sleep sets, never states: every state full expansion stores, in fewer runs, with the same kinds', async () => {
    // Sleep sets only skip an order of independent events whose states another order
    // reaches; kept sound under state matching, the states stored are exactly the same
    // (without DPOR, which does cut states).
    const targets = [
      {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: naive},
      {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: rcu},
      {scenario: loadTrace(TINY), variant: await loadVariant('lockfree-naive')},
      {scenario: loadTrace(TINY), variant: await loadVariant('atomic-refcnt')},
    ]
    for (const target of targets) {
      const full = statefulSearch(target, stateful({sleepSets: false}))
      const slept = statefulSearch(target, stateful({dpor: false}))
      expect(slept).toMatchObject({complete: true, states: {exact: true, stored: full.states!.stored}})
      expect(Object.keys(slept.findings)).toEqual(Object.keys(full.findings))
      expect(slept.explored).toBeLessThan(full.explored)
    }
  })

  it('with DPOR, ends in every state and shows every kind that sleep sets alone do, from fewer states', async () => {
    // DPOR explores from a state only the actors its races call for, and a path that stops
    // at a visited state takes its races with what was explored after it from the state's
    // summary (summary-races.ts). Persistent sets keep every state a run can end in.
    const targets = [
      ...[naive, atomic, rcu].map((variant) => ({scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant})),
      ...(await Promise.all(['lockfree-naive', 'atomic-refcnt'].map(loadVariant))).map((variant) => ({scenario: loadTrace(TINY), variant})),
    ]
    for (const target of targets) {
      const slept = ends(target, {dpor: false})
      const dpor = ends(target, {})
      const what = `${target.scenario.name} × ${target.variant.meta.id}`
      expect(dpor.r, what).toMatchObject({complete: true, states: {exact: true}})
      expect(dpor.outcomes, what).toEqual(slept.outcomes)
      expect(Object.keys(dpor.r.findings), what).toEqual(Object.keys(slept.r.findings))
      expect(dpor.r.states!.stored, what).toBeLessThan(slept.r.states!.stored)
    }
  })

  it('with DPOR, ends as the stateless search does where sleep sets alone take seconds: stopref, krmmod, stop_machine, synchronize_sched, and the litmus stops', async () => {
    const tiny = await Promise.all(['stopref', 'krmmod', 'stop-machine', 'sync-sched-wait', 'isolcpu-skip-cpustop'].map(loadVariant))
    const targets: ExploreTarget[] = [
      ...tiny.map((variant) => ({scenario: loadTrace(TINY), variant})),
      {scenario: parseTrace(MICRO_STOP_TRACE, 'micro-stop.yaml'), variant: stop},
      {scenario: STOP_ONLY, variant: await loadVariant('stop-machine')},
      {scenario: SPIN_AND_STOP, variant: await loadVariant('atomic-refcnt')},
    ]
    for (const target of targets) {
      const what = `${target.scenario.name} × ${target.variant.meta.id}`
      const outcomes = new Set<string>()
      const stateless = exhaustiveSearch(target, options({onSchedule: (res) => outcomes.add(outcomeOfSpinning(res))}))
      const dpor = ends(target, {})
      expect(dpor.r, what).toMatchObject({complete: true, states: {exact: true}})
      expect(dpor.outcomes, what).toEqual(outcomes)
      expect(Object.keys(dpor.r.findings), what).toEqual(Object.keys(stateless.findings))
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

  it('ends a path at a poll that finds nothing new: a grace-period wait against brute force', () => {
    // micro-rcu polls until each CPU was quiescent. Brute force lets the getter be held
    // off while the remover polls until the horizon; the stateful search ends such a path
    // at its first fruitless poll (back to a state on the path) and must still reach
    // every way a run can end idle, and every finding kind.
    const target = {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant: rcu}
    const brute = bruteForce(target, outcomeOfSpinning)
    const outcomes = new Set<string>()
    const r = statefulSearch(target, stateful({onSchedule: (res) => outcomes.add(outcomeOfSpinning(res))}))
    expect(r).toMatchObject({complete: true, states: {exact: true}})
    expect([...brute.outcomes].some((o) => o.startsWith('horizon'))).toBe(true)
    expect(outcomes).toEqual(new Set([...brute.outcomes].filter((o) => o.startsWith('idle'))))
    expect(new Set(Object.keys(r.findings))).toEqual(brute.kinds)
    expect(r.explored).toBeLessThan(brute.count / 5)
  })

  it('proves atomic-refcnt on a small trace: its synchronize_rcu polls leave no state behind', async () => {
    // Before the polls went unrecorded, each poll was a new state and a path went on
    // polling until the horizon: "incomplete: a run ended at the horizon".
    const r = statefulSearch({scenario: loadTrace(TINY), variant: await loadVariant('atomic-refcnt')}, stateful())
    expect(r).toMatchObject({complete: true, stopped: 'exhausted', findings: {}, states: {exact: true}})
    expect(r.states!.matched).toBeGreaterThan(0)
  })

  it("forgets what happened inside a kernel call once it returns: stop_machine_run's removal is proved on tiny-race within 30,000 states", async () => {
    // 17,005 states. When a caller's history kept every step of its calls (whether a
    // kthread handshake or a wait slept, what it read meanwhile), 76,242: with the table
    // full at 30,000 the search goes on unmatched and ends at the run budget.
    const r = statefulSearch({scenario: loadTrace(TINY), variant: await loadVariant('stop-machine-run')}, stateful({maxStates: 30_000, budget: 20_000}))
    expect(r).toMatchObject({complete: true, stopped: 'exhausted', findings: {}, states: {exact: true, full: false}})
  })

  it("writes an interrupted step's rest as owed or not: stop_machine's removal is proved on tiny-race within 5,000 states", async () => {
    // 4,186 states; 6,029 when the rest's length was written, a clock time that the
    // untimed model can leave below zero and that never comes back to zero there.
    const r = statefulSearch({scenario: loadTrace(TINY), variant: await loadVariant('stop-machine')}, stateful({maxStates: 5_000, budget: 5_000}))
    expect(r).toMatchObject({complete: true, stopped: 'exhausted', findings: {}, states: {exact: true, full: false}})
  })

  it('prints the proof and its state figures from the command line', async () => {
    // The command runs its search on a worker thread (so that Ctrl-C is seen); the one
    // part's result came back without its state figures and said "incomplete: the budget".
    const r = await runCli('explore', TINY, '--variant', 'atomic-refcnt', '--strategy', 'stateful')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/no finding in [\d,]+ schedules \(complete\)/)
    expect(r.stdout).toMatch(/states: [\d,]+ stored, [\d,]+ matched, [\d,]+ transitions/)
  })

  it('stops storing at --max-states and still covers the space (more runs, same kinds)', async () => {
    const target = {scenario: loadTrace(TINY), variant: await loadVariant('lockfree-naive')}
    const whole = statefulSearch(target, stateful())
    const bounded = statefulSearch(target, stateful({maxStates: 20}))
    expect(bounded.states).toMatchObject({stored: 20, full: true})
    expect(bounded.complete).toBe(true)
    expect(Object.keys(bounded.findings)).toEqual(Object.keys(whole.findings))
    expect(bounded.explored).toBeGreaterThan(whole.explored)
  })
})
