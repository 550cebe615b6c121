import type {Task} from './task.ts'

/**
 * One CPU's run queue: the stop class, then RT tasks by priority (FIFO order within a
 * priority), then normal/batch tasks in the O(1) scheduler's active and expired arrays
 * ordered by their `key` (static priority under O(1), vruntime under CFS, which never
 * expires a task), then SCHED_IDLE tasks. The running task is not in the queue.
 */
export class RunQueue {
  // Readable for the stateful search's capture (machine-state.ts), which writes these four
  // in this order; only this class changes them.
  /** Stop-class and RT tasks, highest rank first, FIFO within a rank. */
  readonly rt: Task[] = []
  /** The O(1) scheduler's active array of normal tasks (CFS: every normal task), by `key`. */
  active: Task[] = []
  /** The O(1) scheduler's expired array, by `key`. */
  expiredArr: Task[] = []
  /** SCHED_IDLE tasks, FIFO. */
  readonly idle: Task[] = []

  get length(): number {
    return this.rt.length + this.active.length + this.expiredArr.length + this.idle.length
  }

  /**
   * Queues a task. `head` puts an RT task before others of its priority (a preempted FIFO
   * task keeps its place at the head of its list); a normal task goes to the active array
   * unless it is marked expired, at its head when `head` (a task popped and put back).
   */
  enqueue(t: Task, head = false): void {
    if (t.rank >= 100) {
      const q = this.rt
      let i = 0
      if (head) while (i < q.length && q[i].rank > t.rank) i++
      else while (i < q.length && q[i].rank >= t.rank) i++
      q.splice(i, 0, t)
    } else if (t.rank === 1) {
      // By `key` (static priority or vruntime), FIFO among equals, or first among them for `head`.
      const q = t.expired ? this.expiredArr : this.active
      const k = t.key
      let i = q.length
      if (head) while (i > 0 && q[i - 1].key >= k) i--
      else while (i > 0 && q[i - 1].key > k) i--
      if (i === q.length) q.push(t)
      else q.splice(i, 0, t)
    } else {
      this.idle.push(t)
    }
  }

  /** Removes a queued task; returns whether it was queued. */
  remove(t: Task): boolean {
    for (const q of [this.rt, this.active, this.expiredArr, this.idle]) {
      const i = q.indexOf(t)
      if (i >= 0) {
        q.splice(i, 1)
        return true
      }
    }
    return false
  }

  /** The rank of the best queued task, or -1 when empty. */
  topRank(): number {
    if (this.rt.length) return this.rt[0].rank
    if (this.active.length || this.expiredArr.length) return 1
    return this.idle.length ? 0 : -1
  }

  /** The normal task that would run next among the normal ones (the active array's first, else the expired one's), if any. */
  firstNormal(): Task | undefined {
    return this.active.length ? this.active[0] : this.expiredArr[0]
  }

  /** The normal task queued last in the active array (CFS: the largest vruntime), if any. */
  lastNormal(): Task | undefined {
    return this.active[this.active.length - 1]
  }

  /** The sum of `f` over the queued normal tasks. */
  sumNormal(f: (t: Task) => number): number {
    let s = 0
    for (const t of this.active) s += f(t)
    for (const t of this.expiredArr) s += f(t)
    return s
  }

  /** The rank of the worst queued task, or -1 when empty. */
  lowestRank(): number {
    if (this.idle.length) return 0
    if (this.active.length || this.expiredArr.length) return 1
    return this.rt.length ? this.rt[this.rt.length - 1].rank : -1
  }

  /** Dequeues the task to run next, switching the O(1) arrays when the active one is empty. */
  pop(): Task | undefined {
    if (this.rt.length) return this.rt.shift()
    if (!this.active.length && this.expiredArr.length) {
      const a = this.active
      this.active = this.expiredArr
      this.expiredArr = a
      for (const t of this.active) t.expired = false
    }
    if (this.active.length) return this.active.shift()
    return this.idle.shift()
  }

  /** Every queued task, best first (for observers and migration). */
  tasks(): Task[] {
    return [...this.rt, ...this.active, ...this.expiredArr, ...this.idle]
  }
}
