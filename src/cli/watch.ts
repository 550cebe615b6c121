import {newPulse, pulseOf} from '../engine/heartbeat.ts'
import {startWorker} from '../engine/start-worker.ts'
import {formatDuration} from '../scenario/duration.ts'
import {EXIT_INPUT} from './exit-codes.ts'

/**
 * Heap a watched command's thread may use beyond what its trace may be estimated to need
 * (--max-memory): room for the tool itself and for a trace the estimate undercounts. With
 * the default --max-memory, 3 GiB: far more than any shipped trace needs.
 */
export const WATCHED_HEAP_HEADROOM_MB = 1024

/** How often the watchdog looks at the beat counter. */
const LOOK_MS = 100

/** The shortest --timeout, in seconds: the watchdog's resolution. */
export const MIN_TIMEOUT_S = LOOK_MS / 1000

/**
 * Runs a kreplay command line in a worker thread while this thread watches the
 * simulation's pulse (src/engine/heartbeat.ts). A variant loaded from a user's file may
 * loop without yielding, which nothing inside its thread can interrupt; if the beats stop
 * for `stallMs` while a run (or the import of a variant file) is under way, the worker is
 * terminated and the command ends in one clear line, exit 2;
 * so does one whose heap grows past `heapMb` (variant code that allocates without bound).
 * Resolves to the command's exit code. The worker's output reaches this process's stdout
 * and stderr as it is written.
 */
export function runWatched(argv: readonly string[], stallMs: number, variants: readonly string[], heapMb: number): Promise<number> {
  const pulse = newPulse()
  return new Promise((resolve) => {
    const worker = startWorker(new URL('./watched-command.ts', import.meta.url), {argv: [...argv]}, {maxOldGenerationSizeMb: heapMb}, pulse)
    let outOfMemory = false
    worker.on('error', (err: Error & {code?: string}) => {
      if (err.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err
      outOfMemory = true
    })
    let last = pulseOf(pulse).beats
    let quietSince = performance.now()
    let stalled = false
    const timer = setInterval(() => {
      const now = performance.now()
      const p = pulseOf(pulse)
      if (p.beats !== last || !p.busy) {
        last = p.beats
        quietSince = now
      } else if (now - quietSince >= stallMs) {
        stalled = true
        clearInterval(timer)
        void worker.terminate()
      }
    }, LOOK_MS)
    worker.once('exit', (code) => {
      clearInterval(timer)
      if (outOfMemory) {
        process.stderr.write(`kreplay: ${variants.join(', ')}: the simulation's heap grew past ${heapMb} MiB: variant code that allocates without bound? (raise --max-memory if the trace needs more)\n`)
        resolve(EXIT_INPUT)
        return
      }
      if (!stalled) {
        resolve(code)
        return
      }
      process.stderr.write(
        `kreplay: ${variants.join(', ')}: the simulation made no progress for ${formatDuration(stallMs * 1e6)} of wall time: variant code that loops without yielding a step? (raise --timeout if a single step is just slow)\n`,
      )
      resolve(EXIT_INPUT)
    })
  })
}
