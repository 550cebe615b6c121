import {describe, expect, it} from 'vitest'
import {events, runInline} from '../helpers/run-inline.ts'

/**
 * The era rules of the normal class, as exact event sequences on one CPU: a CPU-bound nice
 * 0 task (hog) runs when a normal-priority rmmod wakes from a sleep of `sleep`.
 */
function woken(sched: 'o1' | 'cfs', nice: number, sleep: string): string {
  return `kreplay: 1
name: woken-rmmod
horizon: 200ms
machine: {cpus: 1, sched: ${sched}}
modules:
  - name: dummy
tasks:
  - name: hog
    program:
      - spin: 100ms
  - name: rmmod
    priority: ${nice}
    program:
      - sleep: ${sleep}
      - rmmod: dummy
`
}

/** The switches of a run from rmmod's wakeup on, as `time task what`. */
async function afterWakeup(yaml: string): Promise<string[]> {
  const out = await runInline(yaml, 'lockfree-naive')
  const lines = events(out).filter((l) => / (wakeup on cpu0|preempted|switch in|exit)$/.test(l))
  return lines.slice(lines.findIndex((l) => / rmmod wakeup/.test(l) && !l.startsWith('0 ')))
}

/** rmmod, woken at 10.003 ms, takes the CPU from the hog at that instant and is done 3.3 µs later. */
const PREEMPTED_AT_WAKEUP = [
  '10003000 cpu0 rmmod wakeup on cpu0',
  '10003000 cpu0 hog preempted',
  '10003000 cpu0 rmmod switch in',
  '10006286 cpu0 rmmod exit',
  '10006286 cpu0 hog switch in',
  '100012286 cpu0 hog exit',
]

describe('the normal class by era', () => {
  it('CFS: a woken rmmod more than the wakeup granularity behind the hog preempts it at once', async () => {
    // The hog has run 10 ms; rmmod, asleep, is placed no further back than half a latency
    // period (3 ms) behind min_vruntime: far more than the 1 ms granularity behind the hog.
    expect(await afterWakeup(woken('cfs', 0, '10ms'))).toEqual(PREEMPTED_AT_WAKEUP)
  })

  it('O(1): a woken rmmod of better priority (nice -5) preempts the nice 0 hog at once', async () => {
    expect(await afterWakeup(woken('o1', -5, '10ms'))).toEqual(PREEMPTED_AT_WAKEUP)
  })

  it('O(1): one of equal priority waits out the hog\'s whole 100 ms timeslice', async () => {
    expect(await afterWakeup(woken('o1', 0, '10ms'))).toEqual([
      '10003000 cpu0 rmmod wakeup on cpu0',
      '100003000 cpu0 hog preempted',
      '100003000 cpu0 rmmod switch in',
      '100006286 cpu0 rmmod exit',
      '100006286 cpu0 hog switch in',
      '100012286 cpu0 hog exit',
    ])
  })

  it('places a new task on the idlest CPU it may use, never an isolated one it is not affined to', async () => {
    const yaml = `kreplay: 1
name: fork-balance
horizon: 10ms
machine: {cpus: 4, isolated: "3"}
tasks:
  - name: w
    count: 3
    program:
      - spin: 1ms
  - name: pinned
    cpus: "3"
    program:
      - spin: 1ms
`
    const out = await runInline(yaml, 'lockfree-naive')
    const cpus = Object.fromEntries(out.log.filter((l) => l.what === 'switch in' && /^(w\/|pinned)/.test(l.task)).map((l) => [l.task, l.cpu]))
    // The three start at the same instant in an order the seed picks: one per housekeeping CPU.
    expect(['w/0', 'w/1', 'w/2'].map((w) => cpus[w]).sort()).toEqual([0, 1, 2])
    expect(cpus.pinned).toBe(3)
  })
})
