import {RunQueue} from './run-queue.ts'
import type {SimEvent} from './event-queue.ts'
import type {BatchOwner, SameInstantBatch} from './same-instant-batch.ts'
import type {Task} from './task.ts'

/** An interrupt or IPI that arrived while its CPU had interrupts disabled. */
export interface PendingIrq {
  /** When it was raised, ns. */
  readonly raised: number
  readonly kind: 'irq' | 'timer' | 'ipi'
  /** The irq index, the task a timer wakes, or nothing for an IPI. */
  readonly data: unknown
}

/**
 * One simulated CPU: what runs on it, its run queue, and its preempt and interrupt state.
 * The engine owns all mutation.
 */
export class Cpu implements BatchOwner {
  /** The task in process context on this CPU; null when idle. */
  curr: Task | null = null
  /** An interrupt handler running on top of `curr`, if any. */
  irqTask: Task | null = null
  readonly rq = new RunQueue()
  /** preempt_count (the hardirq part is `irqTask`). */
  preempt = 0
  irqsOff = false
  needResched = false
  readonly pending: PendingIrq[] = []
  /** When the current busy period ends, or -1 when no step is in flight. */
  stepEnd = -1
  /** Reschedule IPIs in flight to this CPU that are not stale. */
  freshIpis = 0
  /** When the running task started its current stint, ns. */
  runStart = 0
  /** Start of the current preempt- or irq-disabled region, or -1. */
  regionStart = -1
  /** Whether the current region busy-waited (a cpu_relax or delay step). */
  regionSpun = false
  /**
   * Since when the running task has busy-waited (parked in a spin or yield loop) while a
   * task it outranks waited in this CPU's queue, or -1: the CPU is held from that task.
   */
  behindStart = -1
  /** Start of the current interrupts-off interval, or -1. */
  irqOffStart = -1
  /** Last time this CPU switched tasks (soft-lockup detection). */
  lastSwitch = 0
  /** CFS's min_vruntime of this run queue: where woken and new normal tasks are placed. */
  minVruntime = 0
  /** The per-CPU migration thread. */
  migration: Task | null = null

  readonly batched: SimEvent[] = []
  batch: SameInstantBatch | null = null
  dirty = false
  #step = 0
  #slice = 0
  #ipi = 0

  constructor(
    readonly id: number,
    readonly isolated: boolean,
  ) {}

  /** Bumped to invalidate this CPU's queued step event. */
  get stepGen(): number {
    return this.#step
  }

  set stepGen(v: number) {
    this.#step = v
    if (this.batch !== null) this.batch.superseded(this)
  }

  /** Bumped to invalidate this CPU's timeslice event. */
  get sliceGen(): number {
    return this.#slice
  }

  set sliceGen(v: number) {
    this.#slice = v
    if (this.batch !== null) this.batch.superseded(this)
  }

  /** Bumped by every switch: reschedule IPIs sent before it are stale (untimed runs drop them). */
  get ipiGen(): number {
    return this.#ipi
  }

  set ipiGen(v: number) {
    this.#ipi = v
    if (this.batch !== null) this.batch.superseded(this)
  }

  /** Whether the running task may be preempted right now. */
  get preemptible(): boolean {
    return this.preempt === 0 && !this.irqsOff && this.irqTask === null
  }
}
