import {readFileSync} from 'node:fs'
import {InputError} from '../../core/input-error.ts'
import type {ExploreResult} from '../explore-result.ts'
import {mergeTallies} from '../tally.ts'

/** Reads a shard's result file (`kreplay explore --shard i/n --json > file`). */
export function readExploreResult(path: string): ExploreResult {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new InputError(`cannot read explore result ${path}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const o = data as Partial<ExploreResult> | null
  if (typeof o !== 'object' || o === null || o.kreplay !== 'explore' || o.version !== 1) {
    throw new InputError(`${path} is not a kreplay explore result (expected the JSON of kreplay explore --json)`)
  }
  return o as ExploreResult
}

/**
 * Combines the results of the shards of one search (`--shard i/n`, same trace, variant,
 * strategy, seed, depth and budget, each shard once) into the result of the whole search:
 * schedule counts add up, finding tallies merge, and each kind keeps the counterexample of
 * its lowest-numbered schedule. Complete only if every shard is present and complete.
 */
export function mergeResults(results: readonly {path: string; result: ExploreResult}[]): ExploreResult {
  if (results.length === 0) throw new InputError('--merge needs at least one result file')
  const first = results[0].result
  const same = ['model', 'trace', 'traceHash', 'variant', 'strategy', 'seed', 'depth', 'budget', 'all'] as const
  const seen = new Set<number>()
  for (const {path, result} of results) {
    for (const key of same) {
      if (result[key] !== first[key]) {
        throw new InputError(`${path} is from a different search (${key} ${JSON.stringify(result[key])}, not ${JSON.stringify(first[key])} as in ${results[0].path})`)
      }
    }
    const shard = result.shard ?? {index: 0, count: 1}
    if (shard.count !== (first.shard?.count ?? 1)) throw new InputError(`${path} is shard ${shard.index}/${shard.count}, but ${results[0].path} splits the search in ${first.shard?.count ?? 1}`)
    if (seen.has(shard.index)) throw new InputError(`${path}: shard ${shard.index}/${shard.count} given twice`)
    seen.add(shard.index)
  }
  const count = first.shard?.count ?? 1
  const findings = mergeTallies(results.map((r) => r.result.findings))
  const counterexamples = Object.keys(findings).flatMap((kind) => {
    const c = results.flatMap((r) => r.result.counterexamples).filter((x) => x.finding.kind === kind)
    return c.length ? [c.reduce((a, b) => (b.schedule < a.schedule ? b : a))] : []
  })
  const complete = seen.size === count && results.every((r) => r.result.complete)
  const anyFound = Object.keys(findings).length > 0
  const stopped = complete ? 'exhausted' : anyFound && !first.all ? 'finding' : seen.size < count ? 'shards-missing' : results.some((r) => r.result.stopped === 'interrupted') ? 'interrupted' : results.some((r) => r.result.stopped === 'time') ? 'time' : 'budget'
  return {
    ...first,
    shard: seen.size === count ? null : first.shard,
    explored: results.reduce((s, r) => s + r.result.explored, 0),
    pruned: results.reduce((s, r) => s + r.result.pruned, 0),
    complete,
    stopped,
    findings,
    counterexamples,
  }
}
