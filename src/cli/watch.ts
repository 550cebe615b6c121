import {spawn} from 'node:child_process'
import {constants} from 'node:os'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {Worker} from 'node:worker_threads'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'
import {newPulse, PULSE_BEATS, PULSE_BUSY, watchProgress} from '../engine/heartbeat.ts'
import {formatDuration} from '../scenario/duration.ts'
import {EXIT_INPUT} from './exit-codes.ts'

/**
 * Heap a watched command's process may use beyond what its trace may be estimated to need
 * (--max-memory): room for the tool itself and for a trace the estimate undercounts. With
 * the default --max-memory, 3 GiB: far more than any shipped trace needs.
 */
export const WATCHED_HEAP_HEADROOM_MB = 1024

/** How often the watched process reports its pulse, and the watchdog looks at it. */
const LOOK_MS = 100

/** The shortest --timeout, in seconds: the watchdog's resolution. */
export const MIN_TIMEOUT_S = LOOK_MS / 1000

/**
 * The descriptor a watched process reports its pulse on: the fourth of its stdio, which
 * its environment names as KREPLAY_PULSE_FD.
 */
const PULSE_FD = 3

/**
 * What V8 writes to stderr when the heap reaches its limit, just before the process
 * aborts: from here on the rest of stderr is V8's report, which the watchdog replaces by
 * one line.
 */
const V8_HEAP_REPORT = '\n<--- Last few GCs --->'

/** The signals a watchdog passes on to the process it watches (which ends gracefully at the first, interrupt.ts). */
const FORWARDED = ['SIGINT', 'SIGTERM'] as const

/**
 * Runs a kreplay command line in a child process of this kreplay while this process
 * watches the simulation's pulse (src/engine/heartbeat.ts). A variant loaded from a user's
 * file may loop without yielding, which nothing inside its process can interrupt, or
 * allocate until the heap's limit, where V8 aborts the whole process (in a worker thread
 * too, when one allocation overshoots the limit by more than Node's 16 MiB of leeway).
 * If the beats stop for `stallMs` while a run (or the import of a variant file) is under
 * way, the child is killed and the command ends in one clear line, exit 2; so does one
 * whose old generation grows past `heapMb` (--max-old-space-size). Resolves to the
 * command's exit code. The child's output reaches this process's stdout and stderr as it
 * is written; SIGINT and SIGTERM reach it through this process (it runs in a process
 * group of its own, so a Ctrl-C at the terminal reaches it once).
 */
export function runWatched(argv: readonly string[], stallMs: number, variants: readonly string[], heapMb: number): Promise<number> {
  const bin = join(PACKAGE_ROOT, 'bin', COMPILED ? 'run.js' : 'dev.js')
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, bin, ...argv], {
    env: {...process.env, KREPLAY_PULSE_FD: String(PULSE_FD)},
    stdio: ['inherit', 'pipe', 'pipe', 'pipe'],
    // A process group of its own (not on Windows, where that means a console of its own).
    detached: process.platform !== 'win32',
  })
  const forward = FORWARDED.map((name) => [name, () => child.kill(name)] as const)
  for (const [name, f] of forward) process.on(name, f)
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(chunk))
  let heapReport = false
  child.stderr!.on('data', (chunk: Buffer) => {
    if (heapReport) return
    const text = chunk.toString('latin1')
    const at = text.indexOf(V8_HEAP_REPORT)
    if (at < 0) {
      process.stderr.write(chunk)
      return
    }
    heapReport = true
    process.stderr.write(chunk.subarray(0, at))
  })
  let beats = 0
  let busy = false
  readLines(child.stdio[PULSE_FD] as Readable, (line) => {
    const [b, n] = line.split(' ')
    beats = Number(b)
    busy = Number(n) > 0
  })
  let last = beats
  let quietSince = performance.now()
  let stalled = false
  const timer = setInterval(() => {
    const now = performance.now()
    if (beats !== last || !busy) {
      last = beats
      quietSince = now
    } else if (now - quietSince >= stallMs) {
      stalled = true
      clearInterval(timer)
      child.kill('SIGKILL')
    }
  }, LOOK_MS)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearInterval(timer)
      for (const [name, f] of forward) process.off(name, f)
      if (stalled) {
        process.stderr.write(
          `kreplay: ${variants.join(', ')}: the simulation made no progress for ${formatDuration(stallMs * 1e6)} of wall time: variant code that loops without yielding a step? (raise --timeout if a single step is just slow)\n`,
        )
        resolve(EXIT_INPUT)
      } else if (heapReport) {
        process.stderr.write(`kreplay: ${variants.join(', ')}: the simulation's heap grew past ${heapMb} MiB: variant code that allocates without bound? (raise --max-memory if the trace needs more)\n`)
        resolve(EXIT_INPUT)
      } else {
        resolve(code ?? 128 + constants.signals[signal!])
      }
    })
  })
}

/** Calls `f` with each whole line read from `stream`. */
function readLines(stream: Readable, f: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('latin1')
  stream.on('data', (text: string) => {
    const lines = (rest + text).split('\n')
    rest = lines.pop()!
    for (const line of lines) f(line)
  })
}

/**
 * In a process that runWatched started: makes this process's simulations beat into a new
 * pulse (heartbeat.ts), which a thread of its own reports to the watchdog every LOOK_MS,
 * whatever this thread is doing; returns whether this is such a process (once: the
 * variable is taken out of the environment, so a process this one starts is not). When
 * the watchdog is gone (its end of the pipe closed), the reporting thread ends this
 * process, which would otherwise run on unwatched in a process group of its own.
 */
export function reportPulseToWatchdog(): boolean {
  const fd = process.env.KREPLAY_PULSE_FD
  if (fd === undefined) return false
  delete process.env.KREPLAY_PULSE_FD
  const pulse = newPulse()
  watchProgress(pulse)
  const reporter = new Worker(
    `const {workerData: {pulse, fd, ms}} = require('node:worker_threads')
    const {writeSync} = require('node:fs')
    setInterval(() => {
      try {
        writeSync(fd, Atomics.load(pulse, ${PULSE_BEATS}) + ' ' + Atomics.load(pulse, ${PULSE_BUSY}) + '\\n')
      } catch {
        process.kill(process.pid, 'SIGKILL')
      }
    }, ms)`,
    {eval: true, workerData: {pulse, fd: Number(fd), ms: LOOK_MS}},
  )
  reporter.unref()
  return true
}
