import type {SearchNode} from '../dpor/search-node.ts'

/** Sleep sets are kept as masks over a state's actors (by rank of actor id): a state with more actors explores them all. */
export const MASK_ACTORS = 31

/** A node's actors that are asleep, as a mask over their ranks by actor id (`rank`). */
export function sleepMask(node: SearchNode): number {
  let mask = 0
  for (let s = 0; s < node.nSleep; s++) {
    const i = node.indexOf(node.sleepActor[s])
    if (i >= 0) mask |= 1 << rank(node, i)
  }
  return mask
}

/**
 * The rank by actor id of the actor at position i: what a stored mask's bits count. The
 * state fixes its set of actors but not their order in the list (the engine puts the
 * last one to run first), so positions would name different actors on different visits.
 */
export function rank(node: SearchNode, i: number): number {
  const a = node.actors[i]
  let r = 0
  for (let j = 0; j < node.n; j++) if (node.actors[j] < a) r++
  return r
}
