import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import {loadTrace} from '../../src/scenario/load.ts'
import type {Scenario} from '../../src/scenario/types.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../src/variants/registry.ts'

/**
 * Verdict stability: a design's verdict on a trace is the design's, not the trace
 * length's. Every shipped trace runs against every shipped variant at its horizon and at
 * twice it (same seed), and must show the same set of finding kinds. A trace whose point
 * is what happens within its horizon says so (`horizon_bounded: true`) and is left out.
 */
const dir = new URL('../../traces/', import.meta.url)
const traces = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => loadTrace(new URL(f, dir).pathname))

/** The finding kinds of one seeded run, sorted and deduplicated. */
function kinds(scenario: Scenario, variant: Awaited<ReturnType<typeof loadVariant>>): string[] {
  return [...new Set(runScenario(scenario, variant, {}).result.findings.map((f) => f.kind))].sort()
}

describe('verdict stability', () => {
  it('ships at least one trace of each kind the test covers', () => {
    expect(traces.filter((t) => !t.horizon_bounded).length).toBeGreaterThan(5)
  })

  for (const scenario of traces.filter((t) => !t.horizon_bounded)) {
    it(`${scenario.name}: the same finding kinds at ${scenario.horizon} ns and at twice it, for every variant`, async () => {
      const doubled: Scenario = {...scenario, horizon: 2 * scenario.horizon}
      const differ: string[] = []
      for (const id of SHIPPED_VARIANTS) {
        const v = await loadVariant(id)
        const once = kinds(scenario, v)
        const twice = kinds(doubled, v)
        if (once.join() !== twice.join()) differ.push(`${id}: [${once.join(', ')}] then [${twice.join(', ')}]`)
      }
      expect(differ).toEqual([])
    })
  }
})
