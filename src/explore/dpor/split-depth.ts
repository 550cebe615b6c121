import type {ExploreTarget} from '../run-target.ts'
import {exhaustiveSearch} from './exhaustive.ts'

/** How many subtrees there are at depth `depth` (complete schedules shorter than it count as one). */
function countSubtrees(target: ExploreTarget, depth: number): number {
  let roots = 0
  exhaustiveSearch(target, {
    budget: Number.MAX_SAFE_INTEGER,
    all: true,
    skip: new Set(),
    parts: 2 ** 30,
    owns: () => false,
    splitDepth: depth,
    keepGoing: (_explored, _found, root) => {
      roots = root
      return true
    },
  })
  return roots
}

/** Subtrees a split exhaustive search aims for per shard, whatever the number of workers (so counts agree). */
export const SPLIT_SUBTREES = 64

/**
 * The depth at which an exhaustive search is split among parts: the least at which there
 * are SPLIT_SUBTREES subtrees per shard (or all there are). Subtrees differ in size by
 * orders of magnitude, so many more of them than shards, dealt out round the shards
 * (subtree r to shard r mod n), even the shards out. Depends only on the target and the
 * shard count, so every worker and shard computes the same split.
 */
export function chooseSplitDepth(target: ExploreTarget, shards = 1): number {
  const want = SPLIT_SUBTREES * Math.max(1, shards)
  let last = -1
  for (let d = 1; d <= 64; d++) {
    const n = countSubtrees(target, d)
    if (n >= want || n === last) return d
    last = n
  }
  return 64
}
