/**
 * Where a state capture writes: a sequence of integers, numbers and strings. StateHash
 * folds them into a 53-bit hash (hash compaction, as SPIN's -DHC); StateText keeps them
 * readable, for tests that compare two states field by field.
 */
export interface StateSink {
  /** An integer in the int32 range (anything else goes through `num`). */
  int(x: number): void
  /** Any number, bit for bit. */
  num(x: number): void
  str(s: string): void
}

/** A StateHash's state at some point (StateHash.mark), to go back to. */
export interface HashMark {
  readonly a: number
  readonly b: number
}

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)

/**
 * A 53-bit hash of what is written to it: two independent 32-bit lanes (a murmur3 round
 * and an FNV-1a round per word), finalised with murmur3's avalanche. `value` fits a
 * double exactly, so a table of them is a Float64Array.
 */
export class StateHash implements StateSink {
  private a = 0x3c6ef372
  private b = 0x811c9dc5

  /** Starts over (the empty sequence). */
  reset(): void {
    this.a = 0x3c6ef372
    this.b = 0x811c9dc5
  }

  int(x: number): void {
    let k = Math.imul(x | 0, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, 0x1b873593)
    let a = this.a ^ k
    a = (a << 13) | (a >>> 19)
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0
    this.b = Math.imul(this.b ^ (x | 0), 0x01000193) ^ (this.b >>> 16)
  }

  num(x: number): void {
    if ((x | 0) === x) {
      this.int(x)
      return
    }
    F64[0] = x
    this.int(0x7ff00001)
    this.int(U32[0])
    this.int(U32[1])
  }

  /** A string as its length and its two 32-bit digests (strDigest), which depend on nothing else. */
  str(s: string): void {
    const d = strDigest(s)
    this.int(s.length ^ 0x5a5a0000)
    this.int(d[0])
    this.int(d[1])
  }

  /** Its state now, for `restore`. */
  mark(): HashMark {
    return {a: this.a, b: this.b}
  }

  /** Whether nothing was written since `m` was taken (the same state). */
  isAt(m: HashMark): boolean {
    return this.a === m.a && this.b === m.b
  }

  /** Goes back to the state `m` was taken at, forgetting what was written since. */
  restore(m: HashMark): void {
    this.a = m.a
    this.b = m.b
  }

  /** Mixes another hash's current value in (a nested part of the state). */
  hash(h: StateHash): void {
    this.int(h.a)
    this.int(h.b)
  }

  /** Both lanes, avalanched (strDigest). */
  lanes(): Int32Array {
    return Int32Array.of(avalanche(this.a), avalanche(this.b))
  }

  /** The hash of the sequence so far: a non-negative integer below 2^53. */
  get value(): number {
    const a = avalanche(this.a ^ 0x2545f491)
    const b = avalanche(this.b ^ a)
    return (a >>> 0) * 0x200000 + (b >>> 11)
  }
}

/** Each string's digests, computed once: names and field names are written at every capture. */
const digests = new Map<string, Int32Array>()
/** Strings remembered at most (the state's strings are names; more means a variant makes strings as it runs). */
const DIGESTS_MAX = 1 << 16

/**
 * A string's two 32-bit digests: a murmur3 and an FNV-1a lane over its characters, each
 * with murmur3's avalanche. A pure function of the string, so a state's hash does not
 * depend on what else the process hashed before.
 */
function strDigest(s: string): Int32Array {
  let d = digests.get(s)
  if (d !== undefined) return d
  const h = new StateHash()
  for (let i = 0; i < s.length; i++) h.int(s.charCodeAt(i))
  d = h.lanes()
  if (digests.size >= DIGESTS_MAX) digests.clear()
  digests.set(s, d)
  return d
}

/** murmur3's fmix32: every input bit flips each output bit with probability about 1/2. */
export function avalanche(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** Keeps what is written as text, one item per entry (tests compare captures with it). */
export class StateText implements StateSink {
  readonly items: string[] = []

  int(x: number): void {
    this.items.push(String(x))
  }

  num(x: number): void {
    this.items.push(String(x))
  }

  str(s: string): void {
    this.items.push(JSON.stringify(s))
  }
}
