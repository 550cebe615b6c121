import {describe, expect, it} from 'vitest'
import {timeOf} from '../helpers/log-query.ts'
import {runScenario} from '../../src/engine/run.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {events, inlineHeader, kindsFound, runInline, tasksAfter} from '../helpers/run-inline.ts'
import krmmod from '../../variants/krmmod.ts'
import stopref from '../../variants/stopref.ts'

const trace = loadTraceArg

const header = inlineHeader
const kinds = kindsFound
const at = timeOf

const IDLE = header(4) + `modules: [{name: dummy}]
tasks:
  - {name: rmmod, cpus: "0-3", start: 1ms, program: [{rmmod: dummy}]}
`

describe('krmmod: the stop in a SCHED_FIFO 99 kthread (Jan 2004 -mm)', () => {
  it('removes and frees an unused module on an idle machine, leaving rmmod\'s affinity alone', async () => {
    const out = await runInline(IDLE, krmmod)
    const log = events(out)
    expect(log.some((l) => l.endsWith('rmmod free_module(dummy)'))).toBe(true)
    expect(log.some((l) => l.endsWith('rmmod delete_module(dummy) = 0'))).toBe(true)
    expect(log.filter((l) => / krmmod stopref_state = /.test(l)).map((l) => l.split(' = ')[1])).toEqual([
      'STOPREF_PREPARE',
      'STOPREF_DISABLE_IRQ',
      'STOPREF_EXIT',
    ])
    expect(out.result.metrics.cpus_stopped).toBe(4)
    expect(out.result.metrics.stall_max).toBeLessThan(10_000)
    expect(kinds(out)).toEqual([])
    expect(tasksAfter(IDLE, krmmod).find((t) => t.name === 'rmmod')!.allowed).toEqual([0, 1, 2, 3])
  })

  it('runs krmmod and its stopper children at SCHED_FIFO 99, each pinned to one CPU', () => {
    const threads = tasksAfter(IDLE, krmmod).filter((t) => t.name === 'krmmod')
    // krmmod itself, forked by events/0 on rmmod's CPU, then one child per other CPU
    expect(threads.map((t) => [t.policy, t.priority, t.allowed, t.where])).toEqual([
      ['fifo', 99, [0], 'exited'],
      ['fifo', 99, [1], 'exited'],
      ['fifo', 99, [2], 'exited'],
      ['fifo', 99, [3], 'exited'],
    ])
  })

  it('stops krmmod the Jan 2004 way: keventd force_sig(SIGTERM)s it and reaps it', async () => {
    const log = events(await runInline(IDLE, krmmod))
    const exit = at(log, /STOPREF_EXIT/)
    const sig = at(log, /cpu0 events\/0 force_sig\(SIGTERM, krmmod\)/)
    expect(sig).toBeGreaterThan(exit)
    const lastKrmmod = log.filter((l) => / cpu0 krmmod /.test(l)).at(-1)!
    expect(lastKrmmod).toMatch(/ cpu0 krmmod exit$/)
    expect(Number(lastKrmmod.split(' ')[0])).toBeGreaterThan(sig)
    expect(at(log, /rmmod free_module/)).toBeGreaterThan(Number(lastKrmmod.split(' ')[0]))
  })

  /** A FIFO 50 hog that wakes on CPU 1 at `ns`, while rmmod (CPU 0) removes dummy. */
  const hogAt = (ns: number) => parseTrace(header(4) + `modules: [{name: dummy}]
tasks:
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}]}
  - {name: rt-hog, cpus: "1", policy: fifo, priority: 50, start: ${ns}ns, program: [{spin: 60ms}]}
`, 'inline.yaml')

  /** From a run without the hog: when CPU 1's stopper has acked alive, and when PREPARE is set. */
  const window = (v: typeof krmmod, stopper: string): [number, number] => {
    const log = events(runScenario(parseTrace(header(4) + `modules: [{name: dummy}]
tasks:
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}]}
`, 'inline.yaml'), v, {log: true}))
    // alive: a context switch (3 us) and the few steps to atomic_inc after it reaches CPU 1
    return [at(log, new RegExp(`cpu1 ${stopper} switch in`)) + 3_100, at(log, /STOPREF_PREPARE/)]
  }

  it('is not preempted by a SCHED_FIFO 50 task that wakes between its alive ack and PREPARE', () => {
    const [alive, prepare] = window(krmmod, 'krmmod')
    expect(prepare - alive).toBeGreaterThan(200)
    for (let ns = alive; ns < prepare; ns += 100) {
      const out = runScenario(hogAt(ns), krmmod, {log: true})
      expect(kinds(out)).toEqual([])
      expect(out.result.metrics.stall_max).toBeLessThan(10_000)
      expect(events(out).some((l) => / krmmod preempted$/.test(l))).toBe(false)
    }
  })

  it('…where stopref\'s SCHED_NORMAL stopper is preempted and the other CPUs spin for the hog\'s run', () => {
    const [alive, prepare] = window(stopref, 'kmodule1')
    expect(prepare - alive).toBeGreaterThan(5_000)
    for (let ns = alive; ns < prepare; ns += 1_000) {
      const out = runScenario(hogAt(ns), stopref)
      expect(new Set(kinds(out))).toEqual(new Set(['machine-stall']))
      expect(out.result.metrics.stall_max).toBeGreaterThan(55_000_000)
    }
  })

  it('preempts the FIFO 50 hog of the rt-starvation trace instead of stalling', () => {
    const scenario = trace('rt-starvation')
    const out = runScenario(scenario, krmmod, {log: true})
    const log = events(out)
    expect(log.some((l) => l.endsWith('cpu1 rt-hog preempted'))).toBe(true)
    expect(kinds(out)).toEqual([])
    expect(out.result.metrics.stall_max).toBeLessThan(1_000_000)
  })

  it('is still starved by a SCHED_FIFO 99 hog: the stop waits for the hog, spinning nowhere', async () => {
    const out = await runInline(header(4) + `modules: [{name: dummy}]
tasks:
  - {name: hog, cpus: "1", policy: fifo, priority: 99, program: [{spin: 20ms}]}
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}]}
`, krmmod)
    expect(out.result.metrics.rmmod_latency).toBeGreaterThan(19_000_000)
    expect(at(events(out), /STOPREF_PREPARE/)).toBeGreaterThan(20_000_000) // after the hog's 20 ms
    expect(kinds(out)).toEqual([])
  })

  it('leaves the affinity of rmmod in the affinity trace as taskset set it', () => {
    const out = runScenario(trace('affinity'), krmmod)
    expect(kinds(out)).toEqual([])
  })

  it('as posted, ignores try_stop_module()\'s -EWOULDBLOCK: rmmod then waits on a live module, unkillably', async () => {
    const out = await runInline(header(4, '100ms') + `modules: [{name: dummy, refs: 1}]
tasks:
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}]}
  - {name: user, cpus: "2", start: 10ms, program: [{use: dummy, for: 1us}]}
`, krmmod)
    const log = events(out)
    expect(out.result.findings).toEqual([expect.objectContaining({kind: 'hang', task: 'rmmod'})])
    expect(out.result.findings[0].detail).toContain('wait_for_zero_refcount')
    expect(log.some((l) => l.includes('delete_module'))).toBe(false)
    expect(out.result.metrics.gets_ok).toBe(1) // the module is still live: the get at 10 ms succeeds
  })

  it('…and frees a live module, returning -EWOULDBLOCK, if the count drops before rmmod looks', async () => {
    const out = await runInline(header(4, '50ms') + `modules: [{name: dummy}]
tasks:
  - {name: holder, cpus: "3", program: [{get: dummy}, {sleep: 1165us}, {put: dummy}]}
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}]}
`, krmmod)
    const log = events(out)
    // the holder's put lands after the stop (which saw the reference) and before rmmod's sum
    const put = at(log, /holder exit/)
    expect(put).toBeGreaterThan(at(log, /STOPREF_EXIT/))
    expect(put).toBeLessThan(at(log, /rmmod free_module\(dummy\)/))
    expect(log.some((l) => l.endsWith('rmmod delete_module(dummy) = -11 (EWOULDBLOCK)'))).toBe(true)
    // stopref, same trace: -EWOULDBLOCK, and the module stays
    const ref = events(await runInline(header(4, '50ms') + `modules: [{name: dummy}]
tasks:
  - {name: holder, cpus: "3", program: [{get: dummy}, {sleep: 1165us}, {put: dummy}]}
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}]}
`, stopref))
    expect(ref.some((l) => l.endsWith('rmmod delete_module(dummy) = -11 (EWOULDBLOCK)'))).toBe(true)
    expect(ref.some((l) => l.includes('free_module'))).toBe(false)
  })

  it('makes krmmod the waiter, so without O_NONBLOCK the last put wakes an exited thread', async () => {
    const yaml = header(4, '100ms') + `modules: [{name: dummy}]
tasks:
  - {name: holder, cpus: "3", program: [{get: dummy}, {sleep: 5ms}, {put: dummy}]}
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy, wait: true}]}
`
    const out = await runInline(yaml, krmmod)
    expect(out.result.findings).toEqual([expect.objectContaining({kind: 'hang', task: 'rmmod'})])
    expect(at(events(out), /rmmod sleep \(wait_for_zero_refcount\)/)).toBeLessThan(5_000_000)
    // stopref sets waiter = rmmod: the same trace completes when the holder puts
    const ref = await runInline(yaml, stopref)
    expect(kinds(ref)).toEqual([])
    expect(events(ref).some((l) => l.endsWith('rmmod delete_module(dummy) = 0'))).toBe(true)
  })

  it('runs the stop_machine op\'s handler with every CPU held, without touching the caller\'s mask', async () => {
    const out = await runInline(header(2) + `modules: [{name: dummy}]
tasks:
  - {name: caller, start: 1ms, program: [{stop_machine: {for: 60ms}}]}
`, krmmod)
    expect(out.result.metrics.stall_max).toBeGreaterThan(60_000_000)
    expect(kinds(out)).toEqual(['machine-stall', 'machine-stall'])
  })
})
