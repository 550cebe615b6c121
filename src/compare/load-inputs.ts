/**
 * What `kreplay compare` runs: trace and variant arguments resolved and loaded, each once,
 * with the defaults (every shipped trace, every shipped variant) and `--cpus` applied.
 */
import type {Variant} from '../engine/variant.ts'
import type {TraceLimits} from '../scenario/footprint.ts'
import {checkDistinctNames} from '../scenario/distinct-names.ts'
import {resizeScenario} from '../scenario/resize.ts'
import {loadTraceArg, shippedTraceFiles} from '../scenario/shipped.ts'
import type {Scenario} from '../scenario/types.ts'
import {loadVariant, shippedIds} from '../variants/registry.ts'

/**
 * Load the traces: `args` (paths or shipped names) in the order given, then `extra`
 * (traces already loaded, such as an imported capture), or every shipped trace when there
 * are neither. With `cpus`, each trace becomes one scenario per size, in the order the
 * sizes were given (`<trace>@<n>cpus`, see resize.ts). Unknown names throw the loader's
 * InputError, which lists the shipped traces; so do two traces of one name. Each trace must
 * fit in `limits`.
 */
export function loadScenarios(args: readonly string[], cpus: readonly number[] = [], extra: readonly Scenario[] = [], limits?: TraceLimits): Scenario[] {
  const named = args.length > 0 || extra.length === 0 ? (args.length > 0 ? args : shippedTraceFiles()) : []
  const traces = [...named.map((arg) => loadTraceArg(arg, limits)), ...extra]
  checkDistinctNames(traces.map((s, i) => ({name: s.name, arg: named[i] ?? s.name})))
  if (cpus.length === 0) return traces
  return traces.flatMap((s) => cpus.map((n) => resizeScenario(s, n)))
}

/**
 * Load the variants: `args` (shipped ids or paths) in the order given, duplicates dropped,
 * or every shipped variant when there are none; each is imported once. An unknown id throws
 * the registry's UnknownVariantError, which lists the valid ids.
 */
export async function loadVariants(args: readonly string[]): Promise<Variant[]> {
  const wanted = [...new Set(args.length > 0 ? args : shippedIds())]
  const variants: Variant[] = []
  for (const arg of wanted) variants.push(await loadVariant(arg))
  return variants
}
