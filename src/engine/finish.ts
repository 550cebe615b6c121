import type {EndReason} from '../core/result.ts'
import {formatDuration} from '../scenario/duration.ts'
import type {Engine} from './engine.ts'
import {TASK_UNINTERRUPTIBLE, type Task} from './task.ts'

/**
 * End-of-run observation: closes the intervals still open (held CPUs, interrupts off, RT
 * tasks still waiting, delete_module calls still in progress) and judges the states the
 * machine was left in: hangs, deadlocks, lost affinity.
 */
export function finishObservation(e: Engine, ended: EndReason): void {
  const now = e.now
  const obs = e.obs
  for (const c of e.cpus) {
    if (c.regionStart >= 0 && c.regionSpun) obs.held(c.id, c.regionStart, now, true)
    if (c.irqOffStart >= 0) obs.irqOff(c.irqOffStart, now)
  }
  const hung: Task[] = []
  for (const t of e.tasks) {
    if (t.syscallStart >= 0) obs.rmmod(now - t.syscallStart)
    if (t.runnableSince >= 0 && t.rt && t.spec) {
      obs.rtWaited(t.name, t.cpu, now, now - t.runnableSince, t.spec.latency_budget)
    }
    if (isHung(e, t, ended)) hung.push(t)
    if (t.spec && t.lastSetAffinity && !sameSet(t.allowed, t.lastSetAffinity)) {
      obs.find('affinity-lost', t.name, now, null, t.name,
        `${t.name} ended with cpus_allowed ${t.allowed.join(',')}, last set to ${t.lastSetAffinity.join(',')}`)
    }
  }
  const inCycle = deadlocked(hung)
  for (const t of hung) {
    if (inCycle.has(t)) {
      obs.find('deadlock', t.name, now, t.cpu, t.name,
        `${t.name} waits on ${t.waitsFor!.name} in a cycle (${t.blockedOn})`)
    } else {
      obs.find('hang', t.name, t.blockedSince, t.cpu, t.name,
        `${t.name} blocked in ${t.blockedOn} from ${formatDuration(t.blockedSince)} to the end`)
    }
  }
}

/**
 * A task is hung when it sleeps uninterruptibly on something other than a timer and either
 * nothing is left that could wake it (the run went idle) or it has slept for longer than
 * the hung-task threshold (as khungtaskd judges).
 */
function isHung(e: Engine, t: Task, ended: EndReason): boolean {
  if (t.where !== 'blocked' || t.state !== TASK_UNINTERRUPTIBLE) return false
  if (t.blockedOn === 'sleep' || t.blockedOn === 'created') return false
  return ended === 'idle' || e.now - t.blockedSince >= e.scenario.machine.hung_task
}

/** The hung tasks that wait on one another in a cycle. */
function deadlocked(hung: readonly Task[]): Set<Task> {
  const set = new Set(hung)
  const out = new Set<Task>()
  for (const t of hung) {
    const seen = new Set<Task>()
    let cur: Task | null = t
    while (cur !== null && set.has(cur) && !seen.has(cur)) {
      seen.add(cur)
      cur = cur.waitsFor
    }
    if (cur === t) for (const s of seen) out.add(s)
  }
  return out
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  const s = new Set(a)
  return b.every((x) => s.has(x))
}
