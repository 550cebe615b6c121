import {describe, expect, it} from 'vitest'
import {TASK_UNINTERRUPTIBLE} from '../../src/core/task-state.ts'
import {observeEnd} from '../../src/observe/end-of-run.ts'
import type {CpuView, TaskView, Wait} from '../../src/observe/machine-view.ts'
import {Observer} from '../../src/observe/observer.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {inlineHeader} from '../helpers/run-inline.ts'
import {taskView, waitsOf} from './task-view.ts'

const scenario = parseTrace(`${inlineHeader(2)}tasks:\n  - name: idle\n    program: []\n`, 'inline.yaml')
const cpu = (id: number, over: Partial<CpuView> = {}): CpuView => ({id, regionStart: -1, regionSpun: false, irqOffStart: -1, behindStart: -1, ...over})

/** Runs end-of-run observation on a hand-built machine (every task wakeable) and returns the findings and the metrics it set. */
function observe(tasks: TaskView[], cpus: CpuView[] = [cpu(0), cpu(1)], now = 5000, hungTask: number | null = null, waits = new Map<TaskView, Wait>()) {
  const obs = new Observer(scenario)
  observeEnd(obs, {now, cpus, tasks, wakeable: new Set(tasks), waits, pendingWork: false}, hungTask)
  return {findings: obs.sortedFindings(), metrics: obs.metrics(0, now)}
}

describe('end-of-run observation', () => {
  it('tells a deadlock cycle from a task hung behind it, each once, with where and when', () => {
    const a = taskView('a', {cpu: 1, where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn: 'mutex', blockedSince: 3000})
    const b = taskView('b', {cpu: 0, where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn: 'kthread_stop', blockedSince: 2000})
    const c = taskView('c', {cpu: 0, where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn: 'mutex', blockedSince: 1000})
    expect(observe([a, b, c], undefined, 5000, null, waitsOf([a, b], [b, a], [c, a])).findings).toEqual([
      {kind: 'hang', at: 1000, cpu: 0, task: 'c', detail: 'c blocked in mutex from 1.00 µs, nothing left to wake it'},
      {kind: 'deadlock', at: 5000, cpu: 0, task: 'b', detail: 'b waits on a (kthread_stop), a waits on b (mutex): a cycle'},
      {kind: 'deadlock', at: 5000, cpu: 1, task: 'a', detail: 'a waits on b (mutex), b waits on a (kthread_stop): a cycle'},
    ])
  })

  it('names the cycle of a refcount wait with the module and the holder', () => {
    const rmmod = taskView('rmmod', {where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn: 'wait_for_zero_refcount', blockedSince: 1000})
    const getter = taskView('getter', {cpu: 1, where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn: 'lock module_mutex', blockedSince: 2000})
    expect(observe([rmmod, getter, taskView('io')], undefined, 5000, null, waitsOf([rmmod, [getter]], [getter, rmmod])).findings).toEqual([
      {kind: 'deadlock', at: 5000, cpu: 0, task: 'rmmod', detail: 'rmmod waits on getter (refcount of m), getter waits on rmmod (lock module_mutex): a cycle'},
      {kind: 'deadlock', at: 5000, cpu: 1, task: 'getter', detail: 'getter waits on rmmod (lock module_mutex), rmmod waits on getter (refcount of m): a cycle'},
    ])
  })

  it('reports lost affinity at the end of the run with no CPU', () => {
    const t = taskView('w', {spec: {latency_budget: null}, allowed: [0], lastSetAffinity: [1]})
    expect(observe([t]).findings).toEqual([
      {kind: 'affinity-lost', at: 5000, cpu: null, task: 'w', detail: 'w ended with cpus_allowed 0, last set to 1'},
    ])
  })

  it('closes what is still open: a busy-waiting region, interrupts off, an RT wait, a delete_module call', () => {
    const rt = taskView('rt', {rt: true, spec: {latency_budget: null}, runnableSince: 1000})
    const rmmod = taskView('rmmod', {syscallStart: 500})
    const {findings, metrics} = observe([rt, rmmod], [cpu(0, {regionStart: 2000, regionSpun: true, irqOffStart: 4000}), cpu(1, {regionStart: 0})])
    expect(findings).toEqual([])
    expect([metrics.stall_max, metrics.cpus_stopped, metrics.irqoff_max, metrics.rt_latency_max, metrics.rmmod_latency]).toEqual([3000, 1, 1000, 4000, 4500])
  })

  it('closes a busy-wait still open: a preemptible one past the threshold is a livelock, an atomic one is not', () => {
    const ms = 1_000_000
    const spinner = taskView('spinner', {busyWaitStart: 0})
    const atomic = taskView('atomic', {busyWaitStart: 0, busyWaitAtomic: true})
    const short = taskView('short', {busyWaitStart: 60 * ms})
    expect(observe([spinner, atomic, short], undefined, 100 * ms).findings).toEqual([
      {kind: 'livelock', at: 50 * ms, cpu: 0, task: 'spinner', detail: 'spinner busy-waited from 0 ns and was still waiting at the end, 100 ms of it on its CPU, its condition never true'},
    ])
  })

  it('closes a CPU held from the tasks queued behind a busy-waiter: a machine-stall past the threshold, counted in the stall metrics', () => {
    const ms = 1_000_000
    const {findings, metrics} = observe([], [cpu(0, {behindStart: 10 * ms}), cpu(1)], 100 * ms)
    expect(findings).toEqual([
      {kind: 'machine-stall', at: 60 * ms, cpu: 0, task: null, detail: 'CPU 0 busy-waited while runnable tasks waited behind it from 10.0 ms and was still held at the end'},
    ])
    expect([metrics.stall_max, metrics.cpus_stopped]).toEqual([90 * ms, 1])
  })

  it('reports hung-task for a wait longer than the trace sets, only when it sets one', () => {
    const d = taskView('d', {where: 'blocked', state: TASK_UNINTERRUPTIBLE, blockedOn: 'kthread_stop', blockedSince: 1000})
    const waits = waitsOf([d, taskView('busy')])
    expect(observe([d], undefined, 5000, null, waits).findings).toEqual([])
    expect(observe([d], undefined, 5000, 4001, waits).findings).toEqual([])
    expect(observe([d], undefined, 5000, 4000, waits).findings).toEqual([
      {kind: 'hung-task', at: 5000, cpu: 0, task: 'd', detail: 'd blocked in kthread_stop for more than 4.00 µs from 1.00 µs'},
    ])
  })
})
