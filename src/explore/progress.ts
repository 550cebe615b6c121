/** A search's progress, for the stderr status line. */
export interface Progress {
  readonly explored: number
  readonly findings: number
  readonly elapsedMs: number
}

/**
 * Decides when a search stops on time and when to report progress, from the wall clock
 * (only here, outside the simulation): `tick` is cheap enough to call per schedule.
 */
export class SearchClock {
  private readonly start = performance.now()
  private lastReport = 0

  constructor(
    private readonly limitMs: number | null,
    private readonly report: ((p: Progress) => void) | null,
    private readonly everyMs = 250,
  ) {}

  /** Milliseconds since the search started. */
  get elapsedMs(): number {
    return performance.now() - this.start
  }

  /** False once the time limit has passed; reports progress now and then. */
  tick(explored: number, findings: number): boolean {
    const ms = this.elapsedMs
    if (this.report !== null && ms - this.lastReport >= this.everyMs) {
      this.lastReport = ms
      this.report({explored, findings, elapsedMs: ms})
    }
    return this.limitMs === null || ms < this.limitMs
  }
}
