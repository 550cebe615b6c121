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

/**
 * Subtrees a split exhaustive search aims for when only the worker threads of one process
 * share it: they claim subtrees as they reach them, so a few dozen even the threads out.
 */
export const SPLIT_SUBTREES = 64

/**
 * Subtrees per shard when the search is sharded. Shards are dealt their subtrees before
 * anything runs (subtree r to shard r mod n) and subtree sizes are heavy-tailed, so it takes
 * many. Measured on small-race × atomic-refcnt (217,466 schedules), the largest shard's
 * schedules over the mean: 2 shards 1.67 with 64 subtrees per shard, 1.21 with 1024;
 * 4 shards 1.58 and 1.22. Finding the depth costs more the more subtrees (on small-race,
 * 4 shards: 0.1-0.5 s for 64 per shard, 0.9-2 s for 1024), little beside a search long
 * enough to be sharded.
 */
export const SHARD_SUBTREES = 1024

/**
 * The depth at which an exhaustive search is split among parts: the least at which there
 * are SPLIT_SUBTREES subtrees, or SHARD_SUBTREES per shard when `shards` > 1 (or all there
 * are). Depends only on the target and the shard count, so every worker and shard
 * computes the same split.
 */
export function chooseSplitDepth(target: ExploreTarget, shards = 1): number {
  const want = shards > 1 ? SHARD_SUBTREES * shards : SPLIT_SUBTREES
  let last = -1
  for (let d = 1; d <= 64; d++) {
    const n = countSubtrees(target, d)
    if (n >= want || n === last) return d
    last = n
  }
  return 64
}
