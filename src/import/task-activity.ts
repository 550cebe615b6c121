/**
 * Per-task run and sleep accounting from sched_switch and sched_wakeup, streamed in time
 * order. A task runs from a switch to it until a switch away from it; switched away
 * runnable (`prev_state=R`) it was preempted and its run goes on at the next switch to it;
 * switched away in any other state it slept, from then until it was woken (the first
 * wakeup after, or the next switch to it when no wakeup was captured).
 */
import type {TaskRef} from './capture-event.ts'

/** What the capture shows of one task. */
export interface TaskRecord {
  readonly pid: number
  /** The comm it was first seen with. */
  readonly comm: string
  /** Its kernel priority when last seen (0-99 RT, 100-139 normal). */
  prio: number
  /** CPUs it ran on. */
  readonly cpus: Set<number>
  /** Whether any sched_switch named it (else only its module events show it). */
  switched: boolean
  /** When it first ran (ns, capture clock), or null if it never ran. */
  firstRun: number | null
  /** Total time running, ns. */
  runNs: number
  /** Completed sleeps and their total time, ns. */
  sleeps: number
  sleepNs: number
  /** Running since (null: not running); blocked since (null: not blocked); woken at. */
  runningSince: number | null
  blockedAt: number | null
  wokenAt: number | null
}

/** Tasks by pid, accumulated from the scheduler events of a capture. */
export class TaskActivity {
  readonly tasks = new Map<number, TaskRecord>()

  /** @param start the capture's first timestamp: a task first seen switching out ran since then. */
  constructor(private readonly start: number) {}

  private task(ref: TaskRef): TaskRecord {
    let t = this.tasks.get(ref.pid)
    if (t === undefined) {
      t = {pid: ref.pid, comm: ref.comm, prio: ref.prio, cpus: new Set(), switched: false, firstRun: null, runNs: 0, sleeps: 0, sleepNs: 0, runningSince: null, blockedAt: null, wokenAt: null}
      this.tasks.set(ref.pid, t)
    }
    t.prio = ref.prio
    return t
  }

  /** sched_switch on `cpu` at `ts`. The idle task (pid 0) is not a task. */
  switch(cpu: number, ts: number, prev: TaskRef, runnable: boolean, next: TaskRef): void {
    if (prev.pid !== 0) {
      const t = this.task(prev)
      t.cpus.add(cpu)
      // Switched away before any switch to it: it ran since the capture began.
      const since = t.runningSince ?? (t.switched ? null : this.start)
      if (!t.switched) t.firstRun = this.start
      t.switched = true
      if (since !== null) t.runNs += ts - since
      t.runningSince = null
      if (!runnable) {
        t.blockedAt = ts
        t.wokenAt = null
      }
    }
    if (next.pid !== 0) {
      const t = this.task(next)
      t.cpus.add(cpu)
      t.firstRun = Math.min(t.firstRun ?? ts, ts)
      t.switched = true
      t.runningSince = ts
      if (t.blockedAt !== null) {
        t.sleeps++
        t.sleepNs += (t.wokenAt ?? ts) - t.blockedAt
        t.blockedAt = null
        t.wokenAt = null
      }
    }
  }

  /**
   * A task printed a line (a module event) at `ts` on `cpu`: it exists and was running
   * there, whatever the scheduler events say (a capture may have none).
   */
  seen(comm: string, pid: number, cpu: number, ts: number): void {
    // A task no scheduler event named keeps the priority of a nice 0 task.
    const t = this.tasks.get(pid) ?? this.task({comm, pid, prio: 120})
    t.cpus.add(cpu)
    t.firstRun ??= ts
  }

  /** sched_wakeup (or sched_waking) of a task at `ts`. */
  wakeup(ts: number, task: TaskRef): void {
    if (task.pid === 0) return
    const t = this.task(task)
    if (t.blockedAt !== null && t.wokenAt === null) t.wokenAt = ts
  }

  /** Close the runs still going at `end`, the capture's last timestamp. */
  finish(end: number): void {
    for (const t of this.tasks.values()) {
      if (t.runningSince !== null) t.runNs += end - t.runningSince
      t.runningSince = null
    }
  }
}
