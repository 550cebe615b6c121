/**
 * The simulation's pulse, for a watchdog in another thread (src/cli/watch.ts): the engine
 * beats every few thousand steps and at the end of every run. Code that never returns to
 * the engine (a variant's loop with no yield, which no step budget can interrupt) stops
 * the beats, which the watchdog can see from outside. Inert until a thread is watched.
 */
let beats: Int32Array | null = null

/** Makes this thread beat into `shared` (a watched thread calls it once, first). */
export function watchProgress(shared: Int32Array): void {
  beats = shared
}

/** The shared beat counter of this thread, if it is watched (for the threads it starts). */
export function progressBeats(): Int32Array | null {
  return beats
}

/** One beat: the simulation made progress. */
export function beat(): void {
  if (beats !== null) Atomics.add(beats, 0, 1)
}

/** Steps between beats (a power of two, minus one, as a mask). */
export const BEAT_MASK = 4095
