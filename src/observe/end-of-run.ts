import {formatDuration} from '../scenario/duration.ts'
import {affinityLost} from './affinity-lost.ts'
import {deadlocked} from './deadlock.ts'
import {hungTasks, inWait} from './hang.ts'
import type {MachineView} from './machine-view.ts'
import type {Observer} from './observer.ts'

/**
 * End-of-run observation: closes the intervals still open (held CPUs, interrupts off,
 * busy-wait loops, RT tasks still waiting, delete_module calls still in progress) and
 * judges the states the machine was left in with the detectors: hangs by the wait graph
 * (hang.ts), deadlocks (deadlock.ts: the finding names one cycle through the task, each
 * step with its kind of wait), lost affinity (affinity-lost.ts), and, when the
 * trace sets `hungTask` (ns), waits longer than that (the kernel's hung-task detector).
 */
export function observeEnd(obs: Observer, m: MachineView, hungTask: number | null): void {
  const now = m.now
  for (const c of m.cpus) {
    if (c.regionStart >= 0 && c.regionSpun) obs.held(c.id, c.regionStart, now, true, false)
    if (c.behindStart >= 0) obs.held(c.id, c.behindStart, now, true, true)
    if (c.irqOffStart >= 0) obs.irqOff(c.irqOffStart, now)
  }
  for (const t of m.tasks) {
    if (t.syscallStart >= 0) obs.rmmod(now - t.syscallStart)
    if (t.runnableSince >= 0 && t.rt && t.spec) {
      obs.rtWaited(t.name, t.cpu, now, now - t.runnableSince, t.spec.latency_budget)
    }
    if (t.busyWaitStart >= 0) {
      const off = t.busyWaitOff + (t.busyWaitOffSince >= 0 ? now - t.busyWaitOffSince : 0)
      obs.busyWaited(t.name, t.cpu, t.busyWaitStart, now, off, t.busyWaitAtomic, true)
    }
    if (hungTask !== null && inWait(t)) obs.slept(t.name, t.cpu, t.blockedOn, t.blockedSince, now, hungTask)
    const lost = affinityLost(t)
    if (lost !== null) obs.find('affinity-lost', t.name, now, null, t.name, lost)
  }
  const hung = hungTasks(m)
  if (hung.length === 0) return
  const cycles = deadlocked(hung, m.waits)
  for (const t of hung) {
    const cycle = cycles.get(t)
    if (cycle !== undefined) {
      obs.find('deadlock', t.name, now, t.cpu, t.name, `${cycle.map((s) => `${s.from.name} waits on ${s.to.name} (${s.what})`).join(', ')}: a cycle`)
    } else {
      obs.find('hang', t.name, t.blockedSince, t.cpu, t.name, `${t.name} blocked in ${t.blockedOn} from ${formatDuration(t.blockedSince)}, nothing left to wake it`)
    }
  }
}
