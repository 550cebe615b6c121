import type {EndReason} from '../core/result.ts'
import {formatDuration} from '../scenario/duration.ts'
import {affinityLost} from './affinity-lost.ts'
import {deadlocked} from './deadlock.ts'
import {isHung} from './hang.ts'
import type {MachineView, TaskView} from './machine-view.ts'
import type {Observer} from './observer.ts'

/**
 * End-of-run observation: closes the intervals still open (held CPUs, interrupts off, RT
 * tasks still waiting, delete_module calls still in progress) and judges the states the
 * machine was left in with the detectors: hangs (hang.ts), deadlocks (deadlock.ts), lost
 * affinity (affinity-lost.ts). `hungTask` is the trace's hung-task threshold, ns.
 */
export function observeEnd(obs: Observer, m: MachineView, ended: EndReason, hungTask: number): void {
  const now = m.now
  for (const c of m.cpus) {
    if (c.regionStart >= 0 && c.regionSpun) obs.held(c.id, c.regionStart, now, true)
    if (c.irqOffStart >= 0) obs.irqOff(c.irqOffStart, now)
  }
  const hung: TaskView[] = []
  for (const t of m.tasks) {
    if (t.syscallStart >= 0) obs.rmmod(now - t.syscallStart)
    if (t.runnableSince >= 0 && t.rt && t.spec) {
      obs.rtWaited(t.name, t.cpu, now, now - t.runnableSince, t.spec.latency_budget)
    }
    if (isHung(t, now, hungTask, ended)) hung.push(t)
    const lost = affinityLost(t)
    if (lost !== null) obs.find('affinity-lost', t.name, now, null, t.name, lost)
  }
  const inCycle = deadlocked(hung)
  for (const t of hung) {
    if (inCycle.has(t)) {
      obs.find('deadlock', t.name, now, t.cpu, t.name, `${t.name} waits on ${t.waitsFor!.name} in a cycle (${t.blockedOn})`)
    } else {
      obs.find('hang', t.name, t.blockedSince, t.cpu, t.name, `${t.name} blocked in ${t.blockedOn} from ${formatDuration(t.blockedSince)} to the end`)
    }
  }
}
