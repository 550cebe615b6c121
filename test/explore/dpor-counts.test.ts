import {describe, expect, it} from 'vitest'
import type {Variant} from '../../src/engine/variant.ts'
import {exhaustiveSearch} from '../../src/explore/dpor/exhaustive.ts'
import {loadTrace, parseTrace} from '../../src/scenario/load.ts'
import type {Scenario} from '../../src/scenario/types.ts'
import {loadVariant} from '../../src/variants/registry.ts'
import {SPIN_AND_STOP, STOP_ONLY} from '../fixtures/litmus-traces.ts'
import {atomic, MICRO_STOP_TRACE, MICRO_TRACE, naive, stop} from '../fixtures/micro-refcount.ts'
import {options} from '../helpers/exhaustive.ts'

const TRACES: Record<string, () => Scenario> = {
  'micro-race': () => parseTrace(MICRO_TRACE, 'micro.yaml'),
  'micro-stop': () => parseTrace(MICRO_STOP_TRACE, 'micro-stop.yaml'),
  'tiny-race': () => loadTrace(new URL('../fixtures/tiny-race.yaml', import.meta.url).pathname),
  'stop-only': () => STOP_ONLY,
  'spin-and-stop': () => SPIN_AND_STOP,
}
const FIXTURES: Record<string, Variant> = {'micro-naive': naive, 'micro-atomic': atomic, 'micro-stop': stop}

/**
 * Exact DPOR figures on litmus-sized traces: schedules explored, runs cut as redundant,
 * and the finding kinds (each a verdict about the variant). A change to the reduction
 * (dependence, sleep sets, stale IPIs, stutters) moves these counts; one that keeps them
 * has left the search as it was. Measured before the explore restructuring (issue 14).
 */
const CASES: [trace: string, variant: string, explored: number, pruned: number, kinds: string[]][] = [
  ['micro-race', 'micro-naive', 5, 0, ['freed-while-referenced', 'use-after-free']],
  ['micro-race', 'micro-atomic', 5, 0, []],
  ['micro-stop', 'micro-stop', 34, 0, ['freed-while-referenced', 'use-after-free']],
  ['tiny-race', 'lockfree-naive', 82, 0, ['freed-while-referenced', 'use-after-free']],
  ['tiny-race', 'atomic-refcnt', 73, 0, []],
  ['tiny-race', 'stop-machine', 954, 0, []],
  ['tiny-race', 'stopref', 82, 0, ['use-after-free']],
  ['tiny-race', 'krmmod', 244, 0, ['hang', 'use-after-free']],
  ['tiny-race', 'isolcpu-skip-cpustop', 954, 0, []],
  ['stop-only', 'stop-machine', 400, 81, []],
  ['spin-and-stop', 'atomic-refcnt', 1, 0, []],
]

describe('exhaustive search: exact schedule counts and verdicts on litmus-sized traces', () => {
  for (const [trace, variant, explored, pruned, kinds] of CASES) {
    it(`${trace} × ${variant}: ${explored} schedules, ${kinds.length ? kinds.join(', ') : 'no finding'}`, async () => {
      const v = FIXTURES[variant] ?? (await loadVariant(variant))
      const r = exhaustiveSearch({scenario: TRACES[trace](), variant: v}, options())
      expect({complete: r.complete, explored: r.explored, pruned: r.pruned, kinds: Object.keys(r.findings)}).toEqual({complete: true, explored, pruned, kinds})
    })
  }
})
