import {startTsWorker} from '../../engine/start-ts-worker.ts'
import {VariantError} from '../../engine/variant-error.ts'
import {loadTraceArg} from '../../scenario/shipped.ts'
import {loadVariant} from '../../variants/registry.ts'
import {chooseSplitDepth} from '../dpor/exhaustive.ts'
import type {Progress} from '../progress.ts'
import type {PartResult, PartSpec, SharedState} from './search-part.ts'
import {mergeTallies, type Tallies} from '../tally.ts'

/** Subtrees of an exhaustive search whose worker is claimed at run time (search-part.ts); the rest are dealt. */
const CLAIMED_SUBTREES = 1 << 16

/**
 * Runs a search split among `workers` worker threads (node:worker_threads, loading the
 * TypeScript sources through tsx like the CLI): worker w of a shard runs the schedules
 * that shard's part w owns. A search that stops at its first finding shares the lowest
 * finding index, so no worker runs schedules past it and the reported schedule is the
 * lowest-numbered one, as in a single-threaded search.
 */
export async function runParts(spec: PartSpec, workers: number, progress: ((p: Progress) => void) | null): Promise<PartResult> {
  const shared: SharedState = {
    best: new Int32Array(new SharedArrayBuffer(4)),
    explored: new Int32Array(new SharedArrayBuffer(4 * workers)),
    claims: new Int32Array(new SharedArrayBuffer(4 * CLAIMED_SUBTREES)),
  }
  shared.best[0] = 0x7fffffff
  let full = spec
  if (spec.strategy === 'exhaustive' && spec.splitDepth === undefined) {
    // Every worker would compute the same split; compute it once.
    const target = {scenario: loadTraceArg(spec.trace), variant: await loadVariant(spec.variant)}
    full = {...spec, splitDepth: chooseSplitDepth(target)}
  }
  const start = performance.now()
  const timer =
    progress === null
      ? null
      : setInterval(() => {
          let explored = 0
          for (let w = 0; w < workers; w++) explored += Atomics.load(shared.explored, w)
          progress({explored, findings: Atomics.load(shared.best, 0) === 0x7fffffff ? 0 : 1, elapsedMs: performance.now() - start})
        }, 250)
  try {
    const parts = await Promise.all(
      Array.from({length: workers}, (_, w) => runWorker({...full, worker: w, workers}, shared)),
    )
    return combineParts(full, parts)
  } finally {
    if (timer !== null) clearInterval(timer)
  }
}

function runWorker(spec: PartSpec, shared: SharedState): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./worker.ts', import.meta.url), {spec, shared})
    worker.once('message', (m: {ok: true; result: PartResult} | {ok: false; message: string}) => {
      void worker.terminate()
      if (m.ok) resolve(m.result)
      else reject(new VariantError(m.message))
    })
    worker.once('error', (err) => {
      reject(new VariantError(err.message))
    })
  })
}

/** Combines the parts of one shard's search into what a single thread would report. */
export function combineParts(spec: PartSpec, parts: readonly PartResult[]): PartResult {
  const pruned = parts.reduce((s, p) => s + p.pruned, 0)
  const complete = parts.every((p) => p.complete)
  const firstOf = (p: PartResult): number => Math.min(...Object.values(p.findings).map((t) => t.first))
  const lists: Record<string, PartResult['lists'][string]> = {}
  if (!spec.all) {
    const hits = parts.filter((p) => Object.keys(p.findings).length > 0)
    if (hits.length) {
      const best = hits.reduce((a, b) => (firstOf(b) < firstOf(a) ? b : a))
      const k = firstOf(best)
      const findings: Tallies = {}
      for (const [kind, t] of Object.entries(best.findings)) if (t.first === k) findings[kind] = {count: 1, first: k}
      for (const kind of Object.keys(findings)) if (kind in best.lists) lists[kind] = best.lists[kind]
      const explored = spec.strategy === 'exhaustive' ? parts.reduce((s, p) => s + p.explored, 0) : scheduledUpTo(spec, k)
      return {explored, pruned, complete: false, stopped: 'finding', findings, lists}
    }
  }
  const findings = mergeTallies(parts.map((p) => p.findings))
  for (const kind of Object.keys(findings)) {
    const from = parts.find((p) => kind in p.lists && p.findings[kind].first === findings[kind].first)
    if (from) lists[kind] = from.lists[kind]
  }
  const stopped = complete ? 'exhausted' : parts.some((p) => p.stopped === 'time') ? 'time' : 'budget'
  return {explored: parts.reduce((s, p) => s + p.explored, 0), pruned, complete, stopped, findings, lists}
}

/** How many schedules of the shard have indices up to k (what a single thread would have run). */
function scheduledUpTo(spec: PartSpec, k: number): number {
  const index = spec.shard?.index ?? 0
  const count = spec.shard?.count ?? 1
  return k < index ? 0 : Math.floor((k - index) / count) + 1
}
