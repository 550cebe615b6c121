import {produce} from 'immer'
import {describe, expect, it} from 'vitest'
import {ReplayChoices, ReplayMismatch, StopRun, type ChoiceSource} from '../../src/engine/choice.ts'
import {runTarget} from '../../src/explore/run-target.ts'
import {runScenario} from '../../src/engine/run.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

const jittered = produce(loadTraceArg('io-storm'), (s) => {
  s.machine.jitter = 0.2
  s.horizon = 6_000_000
})

describe('the ChoiceSource seam', () => {
  it('records every choice of a run, and replaying them reproduces it exactly', async () => {
    const v = await loadVariant('stop-machine')
    const rec = runScenario(jittered, v, {seed: 3, record: true, log: true})
    expect(rec.choices.length).toBeGreaterThan(1000)
    const replay = runScenario(jittered, v, {choices: new ReplayChoices(rec.choices), seed: 3, log: true})
    expect(replay.result).toEqual(rec.result)
    expect(replay.log).toEqual(rec.log)
  })

  it('gives different schedules for different seeds when the trace has jitter', async () => {
    const v = await loadVariant('stop-machine')
    const a = runScenario(jittered, v, {seed: 1, log: true})
    const b = runScenario(jittered, v, {seed: 2, log: true})
    expect(a.log).not.toEqual(b.log)
  })

  it('rejects a replayed choice that does not fit the run', async () => {
    const v = await loadVariant('stop-machine')
    expect(() => runScenario(jittered, v, {choices: new ReplayChoices([5000])})).toThrow(/choice 0 is 5000/)
    expect(new ReplayChoices([1]).pick(2, 'order')).toBe(1)
    expect(() => new ReplayChoices([2]).pick(2, 'order')).toThrow(ReplayMismatch)
  })

  it('lets an untimed source end a run by answering false to candidates, at that point', async () => {
    const v = await loadVariant('stop-machine')
    const small = loadTraceArg('small-race')
    let asked = 0
    const stopAtFifth: ChoiceSource = {pick: () => 0, candidates: () => ++asked < 5}
    const target = {scenario: small, variant: v}
    expect(runTarget(target, stopAtFifth, {untimed: true})).toEqual({result: null, stopped: 'redundant', log: []})
    expect(asked).toBe(5)
    // Through runScenario, as StopRun.redundant; a source that never answers false runs to the end.
    asked = 0
    expect(() => runScenario(small, v, {untimed: true, choices: stopAtFifth})).toThrow(StopRun.redundant)
    const whole = runTarget(target, {pick: () => 0, candidates: () => true}, {untimed: true})
    expect(whole.result?.ended).toBe('idle')
  })
})
