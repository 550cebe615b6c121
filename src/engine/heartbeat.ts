/**
 * The simulation's pulse, for a watchdog outside the thread (src/cli/watch.ts watches a
 * child process, one of whose threads reports this counter to it): the engine
 * beats every few thousand steps and at the end of every run, and says when user code may
 * be running (a run, the import of a variant file). Code that never returns to the engine
 * (a variant's loop with no yield, which no step budget can interrupt) stops the beats
 * while a run is under way, which the watchdog can see from outside; the tool's own work
 * between runs (loading, rendering) is never taken for it. Inert until a thread is watched.
 */
let pulse: Int32Array | null = null

/** Slots of the shared pulse: beats so far, and watched sections (runs, variant imports) under way in the threads that share it. */
export const PULSE_BEATS = 0
export const PULSE_BUSY = 1

/** A new pulse for a watched process's threads (its reporting thread reads PULSE_BEATS and PULSE_BUSY, as `pulseOf` does). */
export function newPulse(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT))
}

/** What a watchdog reads: the beats so far, and whether a watched section is under way. */
export function pulseOf(shared: Int32Array): {beats: number; busy: boolean} {
  return {beats: Atomics.load(shared, PULSE_BEATS), busy: Atomics.load(shared, PULSE_BUSY) > 0}
}

/** Makes this thread beat into `shared` (a watched process's main thread and its workers call it once, first); null: no more. */
export function watchProgress(shared: Int32Array | null): void {
  pulse = shared
}

/** The shared pulse of this thread, if it is watched (for the threads it starts). */
export function watchedPulse(): Int32Array | null {
  return pulse
}

/** One beat: the simulation made progress. */
export function beat(): void {
  if (pulse !== null) Atomics.add(pulse, PULSE_BEATS, 1)
}

/** A run or a variant file's import begins: until `leaveWatched`, quiet time counts as a stall. */
export function enterWatched(): void {
  if (pulse !== null) Atomics.add(pulse, PULSE_BUSY, 1)
}

/** The section `enterWatched` began is over (whether it returned or threw), with a beat. */
export function leaveWatched(): void {
  if (pulse === null) return
  Atomics.sub(pulse, PULSE_BUSY, 1)
  Atomics.add(pulse, PULSE_BEATS, 1)
}

/** Runs `f` (asynchronous: the import of a variant file) as a watched section. */
export async function watchedSection<T>(f: () => Promise<T>): Promise<T> {
  enterWatched()
  try {
    return await f()
  } finally {
    leaveWatched()
  }
}

/** Steps between beats (a power of two, minus one, as a mask). */
export const BEAT_MASK = 4095
