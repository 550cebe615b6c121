import {describe, expect, it} from 'vitest'
import {timeOf} from '../helpers/log-query.ts'
import {SeededChoices} from '../../src/engine/choice.ts'
import {Engine} from '../../src/engine/engine.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import {events, inlineHeader, kindsFound, runInline, tasksAfter} from '../helpers/run-inline.ts'
import stopref from '../../variants/stopref.ts'

const trace = loadTraceArg

const header = inlineHeader
const kinds = kindsFound
const at = timeOf

const IDLE = header(4) + `modules: [{name: dummy}]
tasks:
  - {name: rmmod, cpus: "0-3", start: 1ms, program: [{rmmod: dummy}]}
`

describe('stopref: stop_refcounts in rmmod\'s context (2.6.0)', () => {
  it('removes and frees an unused module on an idle machine, stopping every CPU briefly', async () => {
    const out = await runInline(IDLE, stopref)
    const log = events(out)
    expect(log.some((l) => l.endsWith('rmmod free_module(dummy)'))).toBe(true)
    expect(log.some((l) => l.endsWith('rmmod delete_module(dummy) = 0'))).toBe(true)
    expect(log.filter((l) => / rmmod stopref_state = /.test(l)).map((l) => l.split(' = ')[1])).toEqual([
      'STOPREF_PREPARE',
      'STOPREF_DISABLE_IRQ',
      'STOPREF_EXIT',
    ])
    expect(out.result.metrics.cpus_stopped).toBe(4)
    expect(out.result.metrics.stall_max).toBeLessThan(10_000)
    expect(kinds(out)).toEqual(['affinity-lost'])
  })

  it('leaves rmmod pinned to the CPU it ran on: old_allowed is never restored', async () => {
    const out = await runInline(IDLE, stopref)
    expect(out.result.findings).toEqual([
      expect.objectContaining({kind: 'affinity-lost', task: 'rmmod', detail: 'rmmod ended with cpus_allowed 0, last set to 0,1,2,3'}),
    ])
    const rmmod = tasksAfter(IDLE, stopref).find((t) => t.name === 'rmmod')!
    expect(rmmod.allowed).toEqual([0])
  })

  it('changes nothing for an rmmod that was already pinned to one CPU', async () => {
    const out = await runInline(header(4) + `modules: [{name: dummy}]
tasks:
  - {name: rmmod, cpus: "2", program: [{rmmod: dummy}]}
`, stopref)
    expect(kinds(out)).toEqual([])
    expect(events(out).some((l) => l.endsWith('delete_module(dummy) = 0'))).toBe(true)
  })

  it('forks one SCHED_NORMAL kmodule thread per other CPU, each pinned to its CPU', () => {
    const threads = tasksAfter(IDLE, stopref).filter((t) => t.name.startsWith('kmodule'))
    expect(threads.map((t) => [t.name, t.policy, t.priority, t.allowed, t.where])).toEqual([
      ['kmodule1', 'normal', 0, [1], 'exited'],
      ['kmodule2', 'normal', 0, [2], 'exited'],
      ['kmodule3', 'normal', 0, [3], 'exited'],
    ])
  })

  it('queues the children on rmmod\'s CPU, from where migration/0 moves each to its own', async () => {
    const log = events(await runInline(IDLE, stopref))
    for (const i of [1, 2, 3]) {
      const own = log.filter((l) => l.split(' ')[2] === `kmodule${i}`)
      expect(own[0]).toMatch(/ cpu0 kmodule\d wakeup on cpu0$/)
      expect(own[1]).toMatch(/ cpu0 kmodule\d switch in$/) // first runs on rmmod's CPU
      expect(own.at(-1)).toMatch(new RegExp(` cpu${i} kmodule${i} exit$`))
    }
  })

  it('fails an O_NONBLOCK removal with -EWOULDBLOCK while a reference is held, and keeps the module', async () => {
    const out = await runInline(header(4) + `modules: [{name: dummy, refs: 1}]
tasks:
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy}, {use: dummy, for: 1us}]}
`, stopref)
    const log = events(out)
    expect(log.some((l) => l.endsWith('rmmod delete_module(dummy) = -11 (EWOULDBLOCK)'))).toBe(true)
    expect(log.some((l) => l.includes('free_module'))).toBe(false)
    expect(out.result.metrics.gets_ok).toBe(1) // still live: a later get succeeds
    expect(kinds(out)).toEqual([])
  })

  it('without O_NONBLOCK marks the module going, sleeps, and is woken by the last put', async () => {
    const out = await runInline(header(4) + `modules: [{name: dummy}]
tasks:
  - {name: holder, cpus: "3", program: [{get: dummy}, {sleep: 5ms}, {put: dummy}]}
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy, wait: true}]}
  - {name: late, cpus: "2", start: 3ms, program: [{use: dummy, for: 1us}]}
`, stopref)
    const log = events(out)
    expect(at(log, /rmmod sleep \(wait_for_zero_refcount\)/)).toBeLessThan(3_000_000)
    expect(at(log, /rmmod free_module\(dummy\)/)).toBeGreaterThan(5_000_000)
    expect(log.some((l) => l.endsWith('rmmod delete_module(dummy) = 0'))).toBe(true)
    expect(out.result.metrics.gets_failed).toBe(1) // `late` found it going
    expect(kinds(out)).toEqual([])
  })

  it('hangs rmmod in D state when the holder never puts', async () => {
    const out = await runInline(header(4, '100ms') + `modules: [{name: dummy, refs: 1}]
tasks:
  - {name: rmmod, cpus: "0", start: 1ms, program: [{rmmod: dummy, wait: true}]}
`, stopref)
    expect(out.result.findings).toEqual([expect.objectContaining({kind: 'hang', task: 'rmmod'})])
    expect(out.result.findings[0].detail).toContain('wait_for_zero_refcount')
  })

  it('lets a SCHED_FIFO task preempt a stopper between its alive ack and PREPARE: the other CPUs spin', () => {
    const scenario = trace('rt-starvation')
    const e = new Engine(scenario, stopref, {choices: new SeededChoices(scenario.seed), seed: scenario.seed, log: true})
    const result = e.run()! // a seeded source never ends a run early
    const log = e.logLines!.map((l) => `${l.t} cpu${l.cpu} ${l.task} ${l.what}`)
    // The trace's timing: the hog lands after kmodule1 reached CPU 1 (and acked: a context
    // switch and three steps later) and before STOPREF_PREPARE.
    const alive = at(log, /cpu1 kmodule1 switch in/) + 3_100
    const hog = at(log, /cpu1 kmodule1 preempted/)
    const prepare = at(log, /stopref_state = STOPREF_PREPARE/)
    expect(alive).toBeLessThan(hog)
    expect(hog).toBeLessThan(prepare)
    expect(at(log, /rt-hog switch in/)).toBe(hog)
    // rmmod's CPU 0 and the CPUs of kmodule2 and kmodule3, held with preemption off
    expect(result.findings.map((f) => f.kind)).toEqual(['machine-stall', 'machine-stall', 'machine-stall'])
    expect(new Set(result.findings.map((f) => f.cpu))).toEqual(new Set([0, 2, 3]))
    expect(result.metrics.stall_max).toBeGreaterThan(190_000_000)
    expect(result.metrics.stall_max).toBeLessThan(200_000_000)
  })

  it('clobbers a sched_setaffinity that lands while rmmod waits for module_mutex', () => {
    const scenario = trace('affinity')
    const e = new Engine(scenario, stopref, {choices: new SeededChoices(scenario.seed), seed: scenario.seed})
    const result = e.run()! // a seeded source never ends a run early
    expect(result.findings.map((f) => [f.kind, f.task, f.detail])).toEqual([
      ['affinity-lost', 'rmmod', 'rmmod ended with cpus_allowed 1, last set to 1,2'],
    ])
  })

  it('runs the stop_machine op\'s handler with every CPU held, and pins the caller too', async () => {
    const out = await runInline(header(2) + `modules: [{name: dummy}]
tasks:
  - {name: caller, start: 1ms, program: [{stop_machine: {for: 60ms}}]}
`, stopref)
    expect(out.result.metrics.stall_max).toBeGreaterThan(60_000_000)
    expect(new Set(kinds(out))).toEqual(new Set(['machine-stall', 'affinity-lost']))
  })
})
