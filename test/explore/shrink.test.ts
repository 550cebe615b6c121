import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {choiceWeight, trimZeros} from '../../src/explore/schedule/choice-list.ts'
import {recordSchedule} from '../../src/explore/schedule/counterexample.ts'
import {countedFindings} from '../../src/explore/counted-findings.ts'
import {PctStrategy} from '../../src/explore/sampling/pct-strategy.ts'
import {RandomStrategy} from '../../src/explore/sampling/random-strategy.ts'
import {runTarget} from '../../src/explore/run-target.ts'
import {ScheduleChoices} from '../../src/explore/schedule/schedule-choices.ts'
import {shrinkSchedule} from '../../src/explore/schedule/shrink.ts'
import type {SamplingStrategy} from '../../src/explore/sampling/strategy.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

describe('shrinking a failing schedule', () => {
  it('is never longer, never has more delays or preemptions, and still shows the same kind', async () => {
    const target = {scenario: loadTraceArg('small-race'), variant: await loadVariant('lockfree-naive')}
    const strategies: SamplingStrategy[] = [new PctStrategy(1, 1, 80, 3), new RandomStrategy(1, 60, 2)]
    fc.assert(
      fc.property(fc.integer({min: 0, max: 5000}), fc.integer({min: 0, max: 1}), (k, s) => {
        const strategy = strategies[s]
        const first = runTarget(target, strategy.source(k).choices, {untimed: strategy.untimed}).result!
        const hits = countedFindings(first, new Set())
        fc.pre(hits.length > 0)
        const kind = hits[0].kind
        const recorded = recordSchedule(target, strategy, k, kind)
        const shrunk = shrinkSchedule({target, mode: recorded.mode, list: recorded.list, kind, skip: new Set()})
        const before = choiceWeight(trimZeros(recorded.list))
        const after = choiceWeight(shrunk.list)
        expect(shrunk.list.values.length).toBeLessThanOrEqual(recorded.list.values.length)
        expect(after.delays + after.preemptions).toBeLessThanOrEqual(before.delays + before.preemptions)
        expect(shrunk.finding.kind).toBe(kind)
        const replay = runTarget(target, new ScheduleChoices(shrunk.list, recorded.mode), {untimed: recorded.mode.untimed, seed: recorded.mode.jitterSeed})
        expect(countedFindings(replay.result!, new Set()).map((f) => f.kind)).toContain(kind)
      }),
      {numRuns: 60},
    )
  })
})
