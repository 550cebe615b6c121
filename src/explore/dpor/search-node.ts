/**
 * A point of the search tree (search-tree.ts): the actors that could run there, which one
 * runs now, what is still to be tried and what has been, and who is asleep. Its tables
 * are typed arrays indexed by an actor's position among `actors` (the engine lists
 * candidates in a fixed order), so a node is reused when the path comes back to its
 * depth (`open`) and allocates only to grow. Footprints (what an event touched, for sleep
 * sets) are ranges [from, to) of the tree's footprint list.
 */
export class SearchNode {
  /** The actors that could run here: the first n of `actors`. */
  n = 0
  actors = new Int32Array(8)
  /** The actor chosen now, and its position among `actors`. */
  chosen = 0
  index = 0
  /** Per position: 1 when that actor is to be tried here (source-DPOR's backtrack set). */
  backtrack = new Uint8Array(8)
  /** Per position: 1 when that actor has been explored from here, with its footprint (for the siblings' sleep sets). */
  done = new Uint8Array(8)
  doneFrom = new Int32Array(8)
  doneTo = new Int32Array(8)
  /** Actors asleep on arrival, with their footprints: their schedules from here are covered elsewhere. */
  nSleep = 0
  sleepActor = new Int32Array(8)
  sleepFrom = new Int32Array(8)
  sleepTo = new Int32Array(8)
  /** The end of the footprints this node and the nodes above it hold (the tree's list is a stack). */
  footprintEnd = 0

  /** Resets the node to `actors`, nothing tried, nobody asleep. */
  open(actors: Int32Array): void {
    const n = actors.length
    if (n > this.actors.length) {
      const size = Math.max(n, this.actors.length * 2)
      this.actors = new Int32Array(size)
      this.backtrack = new Uint8Array(size)
      this.done = new Uint8Array(size)
      this.doneFrom = new Int32Array(size)
      this.doneTo = new Int32Array(size)
    }
    this.n = n
    this.actors.set(actors)
    this.backtrack.fill(0, 0, n)
    this.done.fill(0, 0, n)
    this.nSleep = 0
  }

  /** Where actor `a` is among the node's actors, or -1. */
  indexOf(a: number): number {
    for (let i = 0; i < this.n; i++) if (this.actors[i] === a) return i
    return -1
  }

  /** Whether actor `a` is asleep here. */
  asleep(a: number): boolean {
    for (let s = 0; s < this.nSleep; s++) if (this.sleepActor[s] === a) return true
    return false
  }

  /** Puts actor `a` to sleep here, with footprint [from, to). */
  addSleeper(a: number, from: number, to: number): void {
    const s = this.nSleep
    if (s === this.sleepActor.length) {
      this.sleepActor = grown(this.sleepActor)
      this.sleepFrom = grown(this.sleepFrom)
      this.sleepTo = grown(this.sleepTo)
    }
    this.sleepActor[s] = a
    this.sleepFrom[s] = from
    this.sleepTo[s] = to
    this.nSleep = s + 1
  }

  /** Wakes actor `a` here, if it is asleep. */
  wake(a: number): void {
    let k = 0
    for (let s = 0; s < this.nSleep; s++) {
      if (this.sleepActor[s] === a) continue
      this.sleepActor[k] = this.sleepActor[s]
      this.sleepFrom[k] = this.sleepFrom[s]
      this.sleepTo[k] = this.sleepTo[s]
      k++
    }
    this.nSleep = k
  }

  /** Chooses the actor at position i. */
  choose(i: number): void {
    this.index = i
    this.chosen = this.actors[i]
  }
}

/** `a` at twice its size. */
function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}
