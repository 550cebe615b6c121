/** The signals that end a long command early, with what it has done so far. */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** The exit code of a command a signal ended early (128 + the signal's number, as a shell reports it). */
export const SIGNAL_EXIT: Readonly<Record<(typeof SIGNALS)[number], number>> = {SIGINT: 130, SIGTERM: 143}

/** A window in which SIGINT (Ctrl-C) and SIGTERM end a long command gracefully. */
export interface Interruptible {
  /** Aborted at the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal
  /** The signal received, or null. */
  readonly received: () => (typeof SIGNALS)[number] | null
  /** Restores the default handling (the process ends at once). */
  readonly dispose: () => void
}

/**
 * Catches SIGINT and SIGTERM until `dispose`: the first one aborts `signal` (the command
 * finishes with what it has, and `say` tells the user so); a second one ends the process
 * at once. While a handler is installed a signal never lands in the middle of a
 * synchronous write, so a file written atomically (core/write-file-atomic.ts) is whole or
 * absent.
 */
export function interruptible(say: (line: string) => void): Interruptible {
  const controller = new AbortController()
  let received: (typeof SIGNALS)[number] | null = null
  const handler = (name: (typeof SIGNALS)[number]) => {
    if (received !== null) process.exit(SIGNAL_EXIT[name])
    received = name
    say(`${name}: stopping with what was done so far (again to quit at once)`)
    controller.abort(name)
  }
  const handlers = SIGNALS.map((name) => [name, () => { handler(name); }] as const)
  for (const [name, h] of handlers) process.on(name, h)
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const [name, h] of handlers) process.off(name, h)
    },
  }
}
