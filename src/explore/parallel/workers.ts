import {startWorker} from '../../engine/start-worker.ts'
import {VariantError} from '../../engine/variant-error.ts'
import {loadTraceArg} from '../../scenario/shipped.ts'
import {loadVariant} from '../../variants/registry.ts'
import type {Progress} from '../progress.ts'
import {SEARCHES} from '../searches.ts'
import {traceLimitsOf, type PartResult, type PartSpec} from '../search.ts'
import {mergeTallies, type Tallies} from '../tally.ts'
import {newSharedState, NONE_FOUND, type SharedState} from './shared-state.ts'

/**
 * Runs a search split among `workers` worker threads (node:worker_threads, loading the
 * TypeScript sources through tsx like the CLI): worker w of a shard runs the schedules
 * that shard's part w owns. A search that stops at its first finding shares the lowest
 * finding index, so no worker runs schedules past it and the reported schedule is the
 * lowest-numbered one, as in a single-threaded search. This thread only waits, so it
 * sees `stop` abort (Ctrl-C): the workers then end before their next schedule and report
 * what they have.
 */
export async function runParts(spec: PartSpec, workers: number, progress: ((p: Progress) => void) | null, stop?: AbortSignal): Promise<PartResult> {
  const shared = newSharedState(workers)
  const onStop = () => Atomics.store(shared.stop, 0, 1)
  stop?.addEventListener('abort', onStop)
  const load = async () => ({scenario: loadTraceArg(spec.trace, traceLimitsOf(spec)), variant: await loadVariant(spec.variant)})
  const full: PartSpec = {...spec, ...(await SEARCHES[spec.strategy].plan(spec, load))}
  const start = performance.now()
  const timer =
    progress === null
      ? null
      : setInterval(() => {
          let explored = 0
          for (let w = 0; w < workers; w++) explored += Atomics.load(shared.explored, w)
          progress({explored, findings: Atomics.load(shared.best, 0) === NONE_FOUND ? 0 : 1, elapsedMs: performance.now() - start})
        }, 250)
  try {
    const parts = await Promise.all(
      Array.from({length: workers}, (_, w) => runWorker({...full, worker: w, workers}, shared)),
    )
    return combineParts(full, parts)
  } finally {
    if (timer !== null) clearInterval(timer)
    stop?.removeEventListener('abort', onStop)
  }
}

function runWorker(spec: PartSpec, shared: SharedState): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./worker.ts', import.meta.url), {spec, shared})
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
  // One part is what a single thread reports (a stateful search's state figures included).
  if (parts.length === 1) return parts[0]
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
      const explored = SEARCHES[spec.strategy].exploredUpTo(spec, parts, k)
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
