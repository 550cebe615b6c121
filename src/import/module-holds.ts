/**
 * Pairs a capture's module_get and module_put events into held references, per module.
 *
 * An actor (a task, or an interrupt handler on a CPU) that gets a module and later puts it
 * held one reference for the time between (innermost get first, as nested gets unwind).
 * A put by an actor with no get of its own outstanding releases a reference handed to it
 * by another context (a request submitted by a task and completed by an interrupt): the
 * oldest outstanding get of that module anywhere, whose hold then counts for the actor
 * that took it. A put with no get outstanding at all releases a reference taken before
 * the capture began.
 */

/** Held references of one actor on one module. */
export interface HoldStats {
  /** References it took and released itself, and their total hold time, ns. */
  holds: number
  holdNs: number
  /** References it took that another context released (handed off). */
  handed: number
}

interface OpenGet {
  readonly actor: string
  readonly ts: number
  closed: boolean
}

/** What the capture shows of one module's references. */
export interface ModuleRefs {
  readonly gets: number
  readonly puts: number
  /** The module's first get or put, with its time and the refcnt it printed. */
  readonly first: {readonly kind: 'get' | 'put'; readonly ts: number; readonly refcnt: number} | null
  /** Puts that released a reference taken before the capture. */
  readonly releasedEarlier: number
  /** Gets still held when the capture ends. */
  readonly heldAtEnd: number
  /** Released references by the actor that took them, in the order actors first took one. */
  readonly byActor: ReadonlyMap<string, HoldStats>
}

class ModuleState {
  gets = 0
  puts = 0
  first: ModuleRefs['first'] = null
  releasedEarlier = 0
  /** Outstanding gets, oldest first, from `head` on (closed ones are skipped). */
  queue: OpenGet[] = []
  head = 0
  /** Each actor's outstanding gets, innermost last. */
  readonly stacks = new Map<string, OpenGet[]>()
  readonly byActor = new Map<string, HoldStats>()

  close(get: OpenGet, ts: number, handed: boolean): void {
    get.closed = true
    let stats = this.byActor.get(get.actor)
    if (stats === undefined) this.byActor.set(get.actor, (stats = {holds: 0, holdNs: 0, handed: 0}))
    if (handed) {
      stats.handed++
      return
    }
    stats.holds++
    stats.holdNs += ts - get.ts
  }

  /** The oldest outstanding get, removed from the queue; null when there is none. */
  oldest(): OpenGet | null {
    while (this.head < this.queue.length && this.queue[this.head].closed) this.head++
    if (this.head >= 4096 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    return this.head < this.queue.length ? this.queue[this.head] : null
  }
}

/** Streams gets and puts in time order; `refs(module)` says what they add up to. */
export class ModuleHolds {
  private readonly modules = new Map<string, ModuleState>()

  private state(module: string): ModuleState {
    let s = this.modules.get(module)
    if (s === undefined) this.modules.set(module, (s = new ModuleState()))
    return s
  }

  /** `actor` took a reference on `module` at `ts`; the line printed `refcnt`. */
  get(module: string, actor: string, ts: number, refcnt: number): void {
    const s = this.state(module)
    s.gets++
    s.first ??= {kind: 'get', ts, refcnt}
    const open: OpenGet = {actor, ts, closed: false}
    s.queue.push(open)
    let stack = s.stacks.get(actor)
    if (stack === undefined) s.stacks.set(actor, (stack = []))
    stack.push(open)
  }

  /** `actor` dropped a reference on `module` at `ts`; the line printed `refcnt`. */
  put(module: string, actor: string, ts: number, refcnt: number): void {
    const s = this.state(module)
    s.puts++
    s.first ??= {kind: 'put', ts, refcnt}
    const own = s.stacks.get(actor)?.pop()
    if (own !== undefined) {
      s.close(own, ts, false)
      return
    }
    const handed = s.oldest()
    if (handed === null) {
      s.releasedEarlier++
      return
    }
    const stack = s.stacks.get(handed.actor)!
    stack.splice(stack.indexOf(handed), 1)
    s.close(handed, ts, true)
  }

  /** Modules with at least one get or put, with their get counts, most gets first, then by name. */
  ranked(): {module: string; gets: number}[] {
    return [...this.modules].map(([module, s]) => ({module, gets: s.gets})).sort((a, b) => b.gets - a.gets || (a.module < b.module ? -1 : 1))
  }

  /** What the capture shows of `module`'s references (all zero for a module never seen). */
  refs(module: string): ModuleRefs {
    const s = this.state(module)
    let heldAtEnd = 0
    for (const stack of s.stacks.values()) heldAtEnd += stack.length
    return {gets: s.gets, puts: s.puts, first: s.first, releasedEarlier: s.releasedEarlier, heldAtEnd, byActor: s.byActor}
  }
}
