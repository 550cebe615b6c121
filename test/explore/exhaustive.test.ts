import {describe, expect, it} from 'vitest'
import type {ChoiceSource} from '../../src/engine/choice.ts'
import {exhaustiveSearch, type ExhaustiveOptions} from '../../src/explore/dpor/exhaustive.ts'
import {chooseSplitDepth} from '../../src/explore/dpor/split-depth.ts'
import {runTarget, type ExploreTarget} from '../../src/explore/run-target.ts'
import type {RunResult} from '../../src/observe/result.ts'
import {loadTrace, parseTrace} from '../../src/scenario/load.ts'
import {loadVariant} from '../../src/variants/registry.ts'
import {cli} from '../helpers/cli.ts'
import {EV_IPI} from '../../src/engine/event-kinds.ts'
import type {Engine} from '../../src/engine/engine.ts'
import {atomic, MICRO_STOP_TRACE, MICRO_TRACE, naive, stop} from '../fixtures/micro-refcount.ts'

const TINY = new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname

function options(extra: Partial<ExhaustiveOptions> = {}): ExhaustiveOptions {
  return {budget: 1e9, all: true, skip: new Set(), parts: 1, splitDepth: 0, owns: () => true, keepGoing: () => true, ...extra}
}

/** What a run ends with that does not depend on the order of commuting events. */
function outcome(r: RunResult): string {
  const kinds = r.findings.map((f) => f.kind).filter((k) => k !== 'use-after-free' && k !== 'freed-while-referenced')
  return `${r.ended} gets ${r.metrics.gets_ok}/${r.metrics.gets_failed} steps ${r.metrics.steps} ${[...new Set(kinds)].sort().join(',')}`
}

/** `outcome` without the step count, which a busy-wait's re-checks make depend on the order of commuting events. */
function outcomeOfSpinning(r: RunResult): string {
  return outcome(r).replace(/ steps \d+/, '')
}

/** The untimed model without dropping stale reschedule IPIs (Engine.stale): every IPI arrives, if only to do nothing. */
function keepStaleIpis(engine: Engine): void {
  const stale = engine.stale.bind(engine)
  engine.stale = (e) => e.kind !== EV_IPI && stale(e)
}

/** Every untimed schedule, by plain depth-first enumeration of every choice: no reduction. */
function bruteForce(target: ExploreTarget, outcomeOf = outcome, prepare?: (engine: Engine) => void): {count: number; outcomes: Set<string>; kinds: Set<string>} {
  const path: number[] = []
  const widths: number[] = []
  const outcomes = new Set<string>()
  const kinds = new Set<string>()
  let count = 0
  for (;;) {
    let i = 0
    const src: ChoiceSource = {
      pick: (n) => {
        if (i === path.length) path.push(0)
        widths[i] = n
        return path[i++]
      },
    }
    const r = runTarget(target, src, {untimed: true, prepare}).result!
    count++
    outcomes.add(outcomeOf(r))
    for (const f of r.findings) kinds.add(f.kind)
    path.length = i
    let d = i - 1
    while (d >= 0 && path[d] + 1 >= widths[d]) d--
    if (d < 0) return {count, outcomes, kinds}
    path[d]++
    path.length = d + 1
  }
}

describe('exhaustive search (DPOR over the untimed model)', () => {
  it('covers every outcome and finding kind that brute-force enumeration finds, in far fewer schedules', () => {
    for (const variant of [naive, atomic]) {
      const target = {scenario: parseTrace(MICRO_TRACE, 'micro.yaml'), variant}
      const brute = bruteForce(target)
      const outcomes = new Set<string>()
      const r = exhaustiveSearch(target, options({onSchedule: (res) => outcomes.add(outcome(res))}))
      expect(r.complete).toBe(true)
      expect(outcomes).toEqual(brute.outcomes)
      expect(new Set(Object.keys(r.findings))).toEqual(brute.kinds)
      expect(r.explored).toBeLessThan(brute.count / 20)
    }
  })

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
  }, 120_000)

  it('completes on a small trace with a schedule count, and finds the naive race', async () => {
    const scenario = loadTrace(TINY)
    const racy = exhaustiveSearch({scenario, variant: await loadVariant('lockfree-naive')}, options())
    expect(racy.complete).toBe(true)
    expect(Object.keys(racy.findings).sort()).toEqual(['freed-while-referenced', 'use-after-free'])
    const safe = exhaustiveSearch({scenario, variant: await loadVariant('atomic-refcnt')}, options())
    expect(safe).toMatchObject({complete: true, stopped: 'exhausted', findings: {}})
    expect(safe.explored).toBeGreaterThan(10)
    // The same count every time: the search is deterministic.
    expect(exhaustiveSearch({scenario, variant: await loadVariant('atomic-refcnt')}, options()).explored).toBe(safe.explored)
  })

  it("completes one stop_machine removal on three CPUs: the barrier's acks commute", async () => {
    // Which CPU acks last in each round of multi_cpu_stop is not a choice the search has
    // to make (Kernel.barrierAck): the two stop_machine calls of a removal take hundreds
    // of schedules, not the millions (405 per call, squared) of trying each.
    const scenario = parseTrace(
      ['kreplay: 1', 'name: stop-only', 'horizon: 10ms', 'machine:', '  cpus: 3', 'modules:', '  - name: dummy', 'tasks:', '  - name: rmmod', '    cpus: "2"', '    program:', '      - rmmod: dummy'].join('\n'),
      'stop-only.yaml',
    )
    const r = exhaustiveSearch({scenario, variant: await loadVariant('stop-machine')}, options({budget: 1000}))
    expect(r).toMatchObject({complete: true, findings: {}})
  })

  it('explores the same schedules whole or split, though switches take stale IPIs away', async () => {
    // A task on the CPU a stop_machine stops: the stopper's IPI goes stale when the CPU
    // switches first. The split search tries every order above its split depth, so it
    // finds the schedules where the IPI comes before that switch even if the whole search
    // did not treat the switch as a race with the IPI it took away.
    const scenario = parseTrace(
      ['kreplay: 1', 'name: spin-and-stop', 'horizon: 10ms', 'machine:', '  cpus: 3', 'modules:', '  - name: dummy', 'tasks:', '  - name: spinner', '    cpus: "0"', '    program:', '      - spin: 1us', '  - name: rmmod', '    cpus: "2"', '    program:', '      - rmmod: dummy'].join('\n'),
      'spin-and-stop.yaml',
    )
    const target = {scenario, variant: await loadVariant('stop-machine')}
    const whole = exhaustiveSearch(target, options())
    const D = chooseSplitDepth(target)
    const parts = [0, 1].map((part) => exhaustiveSearch(target, options({parts: 2, splitDepth: D, owns: (r) => r % 2 === part})))
    expect(whole.complete && parts.every((p) => p.complete)).toBe(true)
    expect(parts[0].explored + parts[1].explored).toBe(whole.explored)
  }, 60_000)

  it('says "no finding in N schedules (complete)" on the command line', () => {
    const r = cli('explore', TINY, '--variant', 'atomic-refcnt', '--strategy', 'exhaustive')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/no finding in [\d,]+ schedules \(complete\)/)
  })

  it('split in shards, covers the same space: the shards together are complete and find the same kinds', async () => {
    const scenario = loadTrace(TINY)
    const variant = await loadVariant('lockfree-naive')
    const whole = exhaustiveSearch({scenario, variant}, options())
    const parts = [0, 1, 2].map((part) => exhaustiveSearch({scenario, variant}, options({parts: 3, splitDepth: 3, owns: (r) => r % 3 === part})))
    expect(parts.every((p) => p.complete)).toBe(true)
    const kinds = new Set(parts.flatMap((p) => Object.keys(p.findings)))
    expect(kinds).toEqual(new Set(Object.keys(whole.findings)))
    expect(parts.reduce((s, p) => s + p.explored, 0)).toBeGreaterThanOrEqual(whole.explored)
  })
})
