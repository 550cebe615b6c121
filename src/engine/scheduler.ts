import type {Costs} from '../core/costs.ts'
import type {Cpu} from './cpu.ts'
import type {CpuTime} from './cpu-time.ts'
import {EV_IPI, EV_SLICE} from './event-kinds.ts'
import type {Machine} from './machine.ts'
import {TASK_RUNNING, TASK_UNINTERRUPTIBLE, timesliceOf, type Task} from './task.ts'
import {ACTOR_STRIDE, CPU_ATOMIC, CPU_RQ, CPU_SCHED, type AccessTracer} from './tracer.ts'
import {VariantError} from './variant-error.ts'
import {cfsTunables, NormalRules, type NormalSched} from './normal-class.ts'

/**
 * The scheduler: context switches, preemption, timeslices, sleeping, yielding and exiting,
 * wakeups and CPU selection, run queues and migration. What a CPU runs is decided here and
 * only here. Classes rank stop > RT (FIFO/RR by priority) > normal > idle; within the
 * normal class a timed run follows its era (normal-class.ts): the O(1) scheduler (static
 * priority from nice, timeslices, active and expired arrays, a woken task preempts one of
 * worse priority: TASK_PREEMPTS_CURR) or CFS (vruntime weighted by nice, slices of the
 * latency period, a woken task preempts when it is more than the wakeup granularity
 * behind: check_preempt_wakeup; place_entity for new and woken tasks). A task's first
 * wakeup goes to the idlest CPU it may use (fork balancing). Untimed runs (exploration)
 * keep one FIFO rank for the normal class and start a task where it was made: the era
 * rules are about time, which an untimed run does not have.
 */
export class Scheduler {
  private readonly costs: Costs
  private readonly tr: AccessTracer | null
  private readonly untimed: boolean
  /** The trace's hung-task threshold, ns, or null. */
  private readonly hungTask: number | null
  /** The normal-class model of a timed run, or null in an untimed one. */
  private readonly era: NormalSched | null
  private readonly normal: NormalRules

  constructor(
    private readonly m: Machine,
    private readonly time: CpuTime,
  ) {
    this.costs = m.costs
    this.tr = m.tracer
    this.untimed = m.untimed
    this.hungTask = m.scenario.machine.hung_task
    this.era = m.untimed ? null : m.normalSched
    this.normal = new NormalRules(this.era, cfsTunables(m.cpus.length))
  }

  /** Puts the running task back on its queue and switches to the best one. */
  preempt(c: Cpu): void {
    this.cpuAccess(c, CPU_SCHED, true)
    const prev = c.curr
    c.needResched = false
    if (prev) {
      this.m.log(c.id, prev, 'preempted')
      this.time.interruptStep(c, prev)
      // A preempted task keeps its place (the O(1) scheduler never dequeued it); one
      // whose timeslice ran out goes behind its peers.
      const sliceEnded = this.stopRunning(c, prev)
      this.enqueueLocal(c, prev, !sliceEnded)
    }
    this.pickNext(c)
  }

  /**
   * Accounts the end of `t`'s stint on `c`; returns whether its timeslice ran out (it was
   * then refilled, and a normal task moved to the expired array).
   */
  private stopRunning(c: Cpu, t: Task): boolean {
    this.cpuAccess(c, CPU_SCHED, true)
    if (this.tr !== null) this.tr.access(t, 0, true)
    let ended = false
    if (this.era === 'cfs' && t.rank === 1) {
      this.normal.charge(t, this.m.now - c.runStart)
    } else if (t.slice !== Infinity) {
      t.slice -= this.m.now - c.runStart
      if (t.slice <= 0) {
        ended = true
        t.slice = this.freshSlice(t, c)
        if (t.rank <= 1) t.expired = true
      }
    }
    c.sliceGen++
    c.curr = null
    if (c.behindStart >= 0) this.m.heldFromWaiters(c)
    if (t.busyWaitStart >= 0) t.busyWaitOffSince = this.m.now
    return ended
  }

  /** A full timeslice for `t`'s policy and priority (under CFS, a normal task's share of the period on `c`). */
  private freshSlice(t: Task, c: Cpu): number {
    return this.era === 'cfs' && t.rank === 1 ? this.normal.cfsSlice(c, t) : timesliceOf(t.policy, t.priority)
  }

  /** Whether a task queued on `c` should take the CPU from `cur`: a better class or RT priority, or the normal-class rule. */
  private outranked(c: Cpu, cur: Task): boolean {
    const top = c.rq.topRank()
    if (top > cur.rank) return true
    return top === 1 && cur.rank === 1 && this.era !== null && this.normal.wakeupPreempts(c, c.rq.firstNormal()!, cur, this.m.now)
  }

  /** Tells the explorer's tracer (if any) that this event read or changed a field of `c` (tracer.ts, CPU_*). */
  cpuAccess(c: Cpu, field: number, write: boolean): void {
    if (this.tr !== null) this.tr.access(c, field, write)
  }

  /** Switches the CPU to its best queued task (or idle). */
  pickNext(c: Cpu): void {
    this.cpuAccess(c, CPU_SCHED, true)
    this.cpuAccess(c, CPU_RQ, true)
    const next = c.rq.pop() ?? null
    c.curr = next
    // Every reschedule IPI sent to c so far has done its work: c now runs its best task.
    c.ipiGen++
    if (c.freshIpis > 0) {
      if (this.tr !== null && this.untimed) this.tr.disabled(EV_IPI * ACTOR_STRIDE + c.id)
      c.freshIpis = 0
    }
    c.lastSwitch = this.m.now
    if (next === null) {
      c.stepGen++
      c.stepEnd = -1
      return
    }
    next.where = 'running'
    next.cpu = c.id
    c.runStart = this.m.now
    next.everRan = true
    if (this.era === 'cfs' && next.rank === 1) {
      next.slice = this.normal.cfsSlice(c, next)
      const first = c.rq.firstNormal()
      const low = first !== undefined && first.vruntime < next.vruntime ? first.vruntime : next.vruntime
      if (low > c.minVruntime) c.minVruntime = low
    }
    if (next.busyWaitOffSince >= 0) {
      next.busyWaitOff += this.m.now - next.busyWaitOffSince
      next.busyWaitOffSince = -1
    }
    if (next.runnableSince >= 0) {
      if (next.rt && next.spec) {
        this.m.obs.rtWaited(next.name, c.id, this.m.now, this.m.now - next.runnableSince, next.spec.latency_budget)
      }
      next.runnableSince = -1
    }
    if (next.slice !== Infinity) this.m.q.push(this.m.now + next.slice, EV_SLICE, c.id, ++c.sliceGen, null)
    this.m.log(c.id, next, 'switch in')
    this.time.busyRaw(c, this.costs.context_switch)
  }

  /** The running task's timeslice on `c` ran out: refilled if nothing else waits, else a reschedule. */
  sliceExpired(c: Cpu): void {
    this.cpuAccess(c, CPU_SCHED, true)
    this.cpuAccess(c, CPU_RQ, false)
    this.cpuAccess(c, CPU_ATOMIC, false)
    const t = c.curr
    if (!t) return
    if (c.rq.topRank() < 0) {
      if (this.era === 'cfs' && t.rank === 1) this.normal.charge(t, this.m.now - c.runStart)
      t.slice = this.freshSlice(t, c)
      c.runStart = this.m.now
      this.m.q.push(this.m.now + t.slice, EV_SLICE, c.id, ++c.sliceGen, null)
      return
    }
    c.needResched = true
    if (c.preemptible) this.preempt(c)
  }

  /** schedule(): the task sleeps unless a wakeup already set it running again. */
  doSchedule(c: Cpu, t: Task): void {
    if (c.preempt > 0) throw new VariantError(`${t.name}: scheduling while atomic (preempt_count ${c.preempt})`)
    if (t.state === TASK_RUNNING) {
      this.time.busyRaw(c, this.costs.step)
      return
    }
    this.stopRunning(c, t)
    t.where = 'blocked'
    t.blockedSince = this.m.now
    if (this.m.logLines) this.m.log(c.id, t, `sleep (${t.blockedOn || 'schedule'})`)
    this.pickNext(c)
  }

  /**
   * sched_yield() in the O(1) scheduler: an RT task goes to the tail of its priority list;
   * a normal task goes to the expired array, behind every task still in the active one.
   */
  doYield(c: Cpu, t: Task): void {
    this.cpuAccess(c, CPU_SCHED, true)
    this.cpuAccess(c, CPU_RQ, true)
    if (c.preempt > 0) throw new VariantError(`${t.name}: yield while atomic`)
    if (c.rq.topRank() < 0) {
      this.time.busy(c, this.costs.syscall)
      return
    }
    this.stopRunning(c, t)
    if (this.era === 'cfs' && t.rank === 1) {
      // sched_yield() under CFS (as with sched_compat_yield): behind every queued normal task.
      const last = c.rq.lastNormal()
      if (last !== undefined && last.vruntime > t.vruntime) t.vruntime = last.vruntime
    } else if (t.rank <= 1) {
      t.expired = true
    }
    t.where = 'queued'
    this.normal.setKey(t)
    c.rq.enqueue(t)
    const next = c.rq.pop()!
    if (next === t) {
      c.curr = t
      t.where = 'running'
      t.busyWaitOffSince = -1
      c.runStart = this.m.now
      if (t.slice !== Infinity) this.m.q.push(this.m.now + t.slice, EV_SLICE, c.id, ++c.sliceGen, null)
      this.time.busy(c, this.costs.syscall)
      return
    }
    c.rq.enqueue(next, true)
    this.pickNext(c)
  }

  /** `t` returned from its code: it exits, its kthread_stop() waiters wake, and `c` picks the next task. */
  exitTask(c: Cpu, t: Task): void {
    if (c.preempt > 0 || c.irqsOff) {
      throw new VariantError(`${t.name} exited with preemption or interrupts disabled`)
    }
    this.stopRunning(c, t)
    t.where = 'exited'
    t.gen = null
    this.m.log(c.id, t, 'exit')
    for (const w of t.exitWaiters.splice(0)) this.wakeUp(w, c.id)
    this.pickNext(c)
  }

  /** Makes a blocked task sleep on `why` (used for threads created asleep). */
  block(t: Task, why: string, state: number): void {
    t.where = 'blocked'
    t.state = state
    t.blockedOn = why
    t.blockedSince = this.m.now
  }

  /**
   * try_to_wake_up(): a sleeping task becomes runnable on a CPU it may use, preempting the
   * running task there when it ranks higher (after an IPI if the CPU is remote). A task
   * that set its state but has not slept yet is just set running. `from` is the waker's CPU.
   */
  wakeUp(t: Task, from: number): boolean {
    const tr = this.tr
    if (t.where === 'exited' || (t.where !== 'blocked' && t.where !== 'new' && t.state === TASK_RUNNING)) {
      if (tr !== null) tr.access(t, 0, false)
      return false
    }
    if (tr !== null) tr.access(t, 0, true)
    if (t.where !== 'blocked' && t.where !== 'new') {
      t.state = TASK_RUNNING
      return true
    }
    if (this.hungTask !== null && t.state === TASK_UNINTERRUPTIBLE && t.blockedOn !== 'sleep' && t.where === 'blocked') {
      this.m.obs.slept(t.name, t.cpu, t.blockedOn, t.blockedSince, this.m.now, this.hungTask)
    }
    t.state = TASK_RUNNING
    t.blockedOn = ''
    t.blockedSince = -1
    t.waitsFor = null
    t.timerToken++
    const c = this.selectCpu(t)
    if (this.m.logLines) this.m.log(from >= 0 ? from : c.id, t, `wakeup on cpu${c.id}`)
    this.normal.place(c, t)
    this.enqueue(c, t, from)
    return true
  }

  /**
   * select_task_rq: the previous CPU if allowed, else the least loaded allowed one (an
   * isolated CPU only on a tie with nothing better). In a timed run a task that never ran
   * is balanced as at fork (sched_balance_fork / find_idlest_cpu): the least loaded CPU
   * it may use, never an isolated one unless it may use only isolated ones; on a tie, the
   * CPU it was made on.
   */
  selectCpu(t: Task): Cpu {
    const fork = this.era !== null && !t.everRan
    if (!fork && t.allowed.includes(t.cpu)) return this.m.cpus[t.cpu]
    const housekept = fork && t.allowed.some((id) => !this.m.cpus[id].isolated)
    let best: Cpu | null = null
    for (const id of t.allowed) {
      const c = this.m.cpus[id]
      if (housekept && c.isolated) continue
      this.cpuAccess(c, CPU_SCHED, false)
      this.cpuAccess(c, CPU_RQ, false)
      if (best === null || this.load(c) < this.load(best)) best = c
      else if (this.load(c) === this.load(best) && ((best.isolated && !c.isolated) || (fork && c.id === t.cpu))) best = c
    }
    return best!
  }

  /** Tasks on `c`: queued plus running. */
  private load(c: Cpu): number {
    return c.rq.length + (c.curr ? 1 : 0)
  }

  /** Queues a runnable task on `c` and arranges the preemption or idle wakeup it causes. */
  enqueue(c: Cpu, t: Task, from: number): void {
    this.cpuAccess(c, CPU_SCHED, false)
    this.cpuAccess(c, CPU_RQ, true)
    t.cpu = c.id
    t.where = 'queued'
    t.runnableSince = this.m.now
    this.normal.setKey(t)
    c.rq.enqueue(t)
    const cur = c.curr
    if (cur !== null && cur.parkedYielding && t.rank >= cur.rank && c.irqTask === null && c.stepEnd < 0) {
      // A yield() loop now has a task to yield to.
      this.cpuAccess(c, CPU_SCHED, true)
      this.time.unpark(cur)
      this.time.busyRaw(c, 0)
    }
    // A busy-waiter now keeps a task it outranks waiting (machine-stall, the second way).
    if (cur !== null && cur.parkedOn !== null && t.rank < cur.rank && c.behindStart < 0 && c.regionStart < 0) c.behindStart = this.m.now
    if (cur !== null && t.rank <= cur.rank && !(t.rank === 1 && cur.rank === 1 && this.normal.wakeupPreempts(c, t, cur, this.m.now))) return
    this.resched(c, from)
  }

  /**
   * resched_task(): makes `c` reschedule. From a task on `c` itself, at its next step
   * boundary (with no current task, the waker is an exiting or sleeping task, or an irq on
   * an idle CPU, whose path picks the next task right after); from an interrupt on `c`
   * (-2), at once; from another CPU, when the IPI it sends arrives. The IPI is tagged with
   * `c`'s switch count: once `c` has switched, an untimed run drops it (Dispatcher.stale, dispatch.ts).
   */
  resched(c: Cpu, from: number): void {
    if (from === c.id) {
      if (c.curr !== null) {
        this.cpuAccess(c, CPU_SCHED, true)
        c.needResched = true
      }
    } else if (from === -2) {
      this.kick(c)
    } else {
      c.freshIpis++
      this.m.q.push(this.m.now + this.costs.ipi, EV_IPI, c.id, c.ipiGen, null)
    }
  }

  /** Puts a preempted task back on its own CPU's queue (at the head when it keeps its place). */
  private enqueueLocal(c: Cpu, t: Task, head: boolean): void {
    t.where = 'queued'
    t.runnableSince = this.m.now
    this.normal.setKey(t)
    c.rq.enqueue(t, head)
  }

  /** A reschedule request arrived on `c` (IPI or local timer): preempt or leave idle. */
  kick(c: Cpu): void {
    this.cpuAccess(c, CPU_SCHED, false)
    this.cpuAccess(c, CPU_RQ, false)
    this.cpuAccess(c, CPU_ATOMIC, false)
    if (c.curr === null && c.irqTask === null) {
      if (c.stepEnd < 0) this.pickNext(c)
      return
    }
    const cur = c.curr
    if (cur !== null && this.outranked(c, cur)) {
      this.cpuAccess(c, CPU_SCHED, true)
      c.needResched = true
      if (c.preemptible) this.preempt(c)
    }
  }

  /** Moves a queued (not running) task to another CPU's queue. */
  moveQueued(t: Task, to: Cpu, from: number): void {
    if (this.m.logLines) this.m.log(t.cpu, t, `migrate to cpu${to.id}`)
    this.cpuAccess(this.m.cpus[t.cpu], CPU_RQ, true)
    const old = this.m.cpus[t.cpu]
    old.rq.remove(t)
    // CFS: a vruntime is relative to its queue's min_vruntime.
    if (this.era === 'cfs' && t.rank === 1) t.vruntime += to.minVruntime - old.minVruntime
    this.enqueue(to, t, from)
  }
}
