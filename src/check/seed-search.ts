import {runScenario} from '../engine/run.ts'
import type {Variant} from '../engine/variant.ts'
import type {Scenario} from '../scenario/types.ts'

/**
 * The simplest schedule search: the trace under `seeds` consecutive seeds. Stands in for
 * the explorer where none is given.
 */
export function seedSearch(seeds: number) {
  return (s: Scenario, v: Variant): ReadonlySet<string> => {
    const found = new Set<string>()
    for (let i = 0; i < seeds; i++) {
      for (const f of runScenario(s, v, {seed: s.seed + i}).result.findings) found.add(f.kind)
    }
    return found
  }
}
