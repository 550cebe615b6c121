/**
 * The seed of schedule `k` of a search seeded with `seed`: a 32-bit integer hash
 * (murmur3's finaliser over both), so neighbouring schedules draw unrelated streams and
 * the same (seed, k) always gives the same schedule, whichever worker or shard runs it.
 */
export function mixSeed(seed: number, k: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 0x632be5ab, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
