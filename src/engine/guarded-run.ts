import {formatDuration} from '../scenario/duration.ts'
import type {RunConfig, RunOutput} from './run.ts'
import {startTsWorker} from './start-ts-worker.ts'
import {VariantError} from './variant-error.ts'

/**
 * Runs a trace against a variant loaded from a user's file in a worker thread, so that
 * variant code that never yields (a loop with no `yield`, which no step budget can
 * interrupt) ends in a clear error after `wallMs` of wall-clock time instead of hanging
 * the tool. The run itself is the same pure function as runScenario.
 */
export function runGuarded(trace: string, variant: string, cfg: Omit<RunConfig, 'choices'>, wallMs: number): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./run-worker.ts', import.meta.url), {trace, variant, cfg})
    const timer = setTimeout(() => {
      void worker.terminate()
      reject(
        new VariantError(
          `${variant} did not finish within ${formatDuration(wallMs * 1e6)} of wall time: variant code that loops without yielding a step? (raise --timeout if the trace is just large)`,
        ),
      )
    }, wallMs)
    worker.once('message', (m: {ok: true; out: RunOutput} | {ok: false; message: string; name: string}) => {
      clearTimeout(timer)
      void worker.terminate()
      if (m.ok) resolve(m.out)
      else reject(new VariantError(m.message))
    })
    worker.once('error', (err) => {
      clearTimeout(timer)
      reject(new VariantError(err.message))
    })
  })
}
