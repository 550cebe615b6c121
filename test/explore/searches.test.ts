import {describe, expect, it} from 'vitest'
import {makeStrategy} from '../../src/explore/sampling/make-strategy.ts'
import {SEARCHES} from '../../src/explore/searches.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {loadVariant} from '../../src/variants/registry.ts'

describe('the strategies behind --strategy', () => {
  it('say which model they run, as the strategies they make do', async () => {
    const target = {scenario: loadTraceArg('small-race'), variant: await loadVariant('atomic-refcnt')}
    for (const name of ['random', 'pct', 'delay'] as const) {
      const kind = SEARCHES[name]
      expect(makeStrategy(name, target, 1, kind.defaultDepth, 1000).untimed, name).toBe(kind.untimed)
      expect(kind.defaultDepth, name).toBeGreaterThan(0)
    }
    expect(SEARCHES.exhaustive).toMatchObject({untimed: true, defaultDepth: 0, defaultBudget: Number.MAX_SAFE_INTEGER})
  })
})
