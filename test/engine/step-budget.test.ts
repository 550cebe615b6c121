import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

/** A two-second irqs-off stop_machine on 2 CPUs while an irq is raised every microsecond. */
const FLOOD = `kreplay: 1
name: flood
machine: {cpus: 2}
horizon: 2010ms
modules: [{name: m}]
irqs:
  - {name: nic, cpus: 1, every: 1us, cost: 100ns}
tasks:
  - name: stopper
    cpus: 0
    program:
      - stop_machine: {for: 2s}
`

/**
 * The step budget bounds a run: a run with nothing left after its last step is whole at a
 * budget of exactly its steps, and one step less cuts it. Events that run no code are
 * bounded too: an irq raised while its line is pending is merged, not queued.
 */
describe('the step budget', () => {
  it.each([
    ['idle-rmmod', 'krmmod'],
    ['small-race', 'atomic-refcnt'],
  ])('%s × %s: a budget of its own steps is the whole run, one less is cut', async (trace, id) => {
    const scenario = loadTraceArg(trace)
    const variant = await loadVariant(id)
    for (const untimed of [false, true]) {
      const whole = runScenario(scenario, variant, {untimed}).result
      const steps = whole.metrics.steps
      expect(whole.ended).not.toBe('step-budget')
      expect(runScenario(scenario, variant, {untimed, stepBudget: steps}).result).toEqual(whole)
      const cut = runScenario(scenario, variant, {untimed, stepBudget: steps - 1}).result
      expect(cut.ended).toBe('step-budget')
      expect(cut.metrics.steps).toBe(steps - 1)
    }
  })

  it('merges an irq raised again while pending: two seconds with interrupts off hold one raise, not two million', async () => {
    const flood = parseTrace(FLOOD, 'flood.yaml')
    const variant = await loadVariant('stop-machine')
    const whole = runScenario(flood, variant, {log: true})
    expect(whole.result.ended).toBe('horizon')
    // 10 ms after the stop at one irq a microsecond, and a handful of steps before it.
    expect(whole.result.metrics.steps).toBeLessThan(25_000)
    expect(whole.log.filter((l) => l.what.includes('pending (interrupts off)'))).toHaveLength(1)
    expect(runScenario(flood, variant, {stepBudget: 59}).result.ended).toBe('step-budget')
  })
})
