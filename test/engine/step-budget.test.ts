import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

/**
 * The step budget counts steps of task and handler code, and only those: a budget of
 * exactly a run's steps gives the whole run, events after its last step included (here an
 * irq raise at the horizon), and one step less ends it at the budget.
 */
describe('the step budget', () => {
  it.each([
    ['get-vs-remove', 'stop-machine'],
    ['get-vs-remove', 'atomic-refcnt'],
    ['idle-rmmod', 'krmmod'],
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
})
