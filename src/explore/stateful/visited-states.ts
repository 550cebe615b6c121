/**
 * The visited-state table of a stateful search: 53-bit state hashes (hash compaction, as
 * SPIN's -DHC: a state is stored as its hash alone, so two states with one hash are taken
 * for one, with probability about n²/2⁵⁴ for n states) in an open-addressing table that
 * doubles as it fills, up to `max` states; past that, nothing more is stored and the
 * search goes on without matching the states it could not store (slower, still sound).
 * Each stored state carries one number for the search (the most work seen after it:
 * stateful-search.ts), its sleep set, as a mask over the state's actors (the ones
 * not yet explored from it), and the id of its subtree's summary (subtree-summaries.ts).
 */
export class VisitedStates {
  private keys = new Float64Array(1 << 12)
  private vals = new Float64Array(1 << 12)
  private masks = new Int32Array(1 << 12)
  private sums = new Int32Array(1 << 12)
  private used = 0

  constructor(private readonly max: number) {}

  /** States stored. */
  get size(): number {
    return this.used
  }

  /** Whether the table reached its bound and stopped storing. */
  get full(): boolean {
    return this.used >= this.max
  }

  /** Bytes the table takes. */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength + this.masks.byteLength + this.sums.byteLength
  }

  /** The slot of a stored state, or -1. */
  find(hash: number): number {
    const k = hash === 0 ? 1 : hash
    const mask = this.keys.length - 1
    for (let i = (k >>> 0) & mask; ; i = (i + 1) & mask) {
      const x = this.keys[i]
      if (x === k) return i
      if (x === 0) return -1
    }
  }

  /** Stores a state not stored yet; its slot, or -1 when the table is full. Slots move when the table grows. */
  add(hash: number): number {
    if (this.full) return -1
    if ((this.used + 1) * 2 > this.keys.length) this.grow()
    const k = hash === 0 ? 1 : hash
    const mask = this.keys.length - 1
    let i = (k >>> 0) & mask
    while (this.keys[i] !== 0) i = (i + 1) & mask
    this.keys[i] = k
    this.used++
    return i
  }

  /** The number stored with the state in `slot`. */
  value(slot: number): number {
    return this.vals[slot]
  }

  setValue(slot: number, v: number): void {
    this.vals[slot] = v
  }

  /** The sleep mask stored with the state in `slot`. */
  mask(slot: number): number {
    return this.masks[slot]
  }

  setMask(slot: number, m: number): void {
    this.masks[slot] = m
  }

  /** The subtree summary id stored with the state in `slot` (0: none yet). */
  summary(slot: number): number {
    return this.sums[slot]
  }

  setSummary(slot: number, id: number): void {
    this.sums[slot] = id
  }

  private grow(): void {
    const keys = this.keys
    const vals = this.vals
    const masks = this.masks
    const sums = this.sums
    this.keys = new Float64Array(keys.length * 2)
    this.vals = new Float64Array(keys.length * 2)
    this.masks = new Int32Array(keys.length * 2)
    this.sums = new Int32Array(keys.length * 2)
    const mask = this.keys.length - 1
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]
      if (k === 0) continue
      let i = (k >>> 0) & mask
      while (this.keys[i] !== 0) i = (i + 1) & mask
      this.keys[i] = k
      this.vals[i] = vals[j]
      this.masks[i] = masks[j]
      this.sums[i] = sums[j]
    }
  }
}
