/** Position of a schedule in the search: its subtree (split searches) and its number in it. */
export function scheduleIndex(root: number, ordinal: number): number {
  return root * 2 ** 21 + Math.min(ordinal, 2 ** 21 - 1)
}

/**
 * Which subtrees of a split exhaustive search this part runs. The subtrees below the
 * split depth are numbered in the order every part meets them; the part is asked once
 * per subtree (`owns`). Also numbers this part's schedules (scheduleIndex).
 */
export class SubtreeOwnership {
  /** Subtrees met so far (the current one is root - 1). */
  root = 0
  /** Schedules of the current subtree counted so far. */
  ordinal = 0
  /** Whether this part runs the current subtree. */
  owned: boolean
  /** Whether the current run entered a subtree another part owns (and was stopped there). */
  foreign = false

  constructor(
    private readonly owns: (root: number) => boolean,
    /** One part: it owns everything, and nothing is split. */
    whole: boolean,
  ) {
    this.owned = whole
  }

  /** A new subtree starts (a run reached the split depth, or a complete schedule ended above it): whether this part owns it. */
  enter(): boolean {
    this.owned = this.owns(this.root)
    this.root++
    this.ordinal = 0
    return this.owned
  }

  /** The index of this part's current schedule, then counts it. */
  next(): number {
    return scheduleIndex(Math.max(this.root - 1, 0), this.ordinal++)
  }
}
