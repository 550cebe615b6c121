import {describe, expect, it} from 'vitest'
import {findingKinds} from '../helpers/log-query.ts'
import {SeededChoices} from '../../src/engine/choice.ts'
import {Engine} from '../../src/engine/engine.ts'
import type {Variant} from '../../src/engine/variant.ts'
import type {RunResult} from '../../src/core/result.ts'
import {parseTrace} from '../../src/scenario/load.ts'
import isolcpuSkip from '../../variants/isolcpu-skip-cpustop.ts'
import stopMachine from '../../variants/stop-machine.ts'
import {runInline} from '../helpers/run-inline.ts'

const kinds = findingKinds

/** A real-time task on isolated CPU 3 calls through the module while rmmod and insmod loop. */
const ISOLATED_IO = `kreplay: 1
name: t
horizon: 3ms
machine: {cpus: 4, isolated: "3"}
modules: [{name: m}]
tasks:
  - name: rt
    cpus: "3"
    policy: fifo
    priority: 99
    program:
      - repeat: forever
        do: [{get: m}, {call: m, for: 5us}, {put: m}, {spin: 5us}]
  - name: rm
    cpus: "0"
    start: 10us
    program:
      - repeat: forever
        do: [{rmmod: m}, {insmod: m}]
`

/** Runs a trace and records every CPU the observers saw held by a busy-waiting region. */
function heldCpus(yaml: string, v: Variant): {held: Set<number>; result: RunResult; rtPreempted: boolean} {
  const e = new Engine(parseTrace(yaml, 'inline.yaml'), v, {choices: new SeededChoices(1), seed: 1, log: true})
  const held = new Set<number>()
  const report = e.obs.held.bind(e.obs)
  e.obs.held = (cpu, start, end, open, behind) => {
    held.add(cpu)
    report(cpu, start, end, open, behind)
  }
  const result = e.run()! // a seeded source never ends a run early
  const rtPreempted = e.logLines!.some((l) => l.task === 'rt' && l.what === 'preempted')
  return {held, result, rtPreempted}
}

describe('isolcpu-skip-cpustop: the cpu_stop stop_machine leaving isolated CPUs running', () => {
  it('the isolated CPU never enters a held region, and its real-time task is never preempted', () => {
    const {held, result, rtPreempted} = heldCpus(ISOLATED_IO, isolcpuSkip)
    expect(result.metrics.gets_failed).toBeGreaterThan(0) // removals did happen
    expect([...held].sort()).toEqual([0, 1, 2])
    expect(result.metrics.cpus_stopped).toBe(3)
    expect(rtPreempted).toBe(false)
    expect(result.metrics.rt_latency_max).toBe(0)
  })

  it('stop-machine, on the same trace, holds the isolated CPU too and preempts its real-time task', () => {
    const {held, result, rtPreempted} = heldCpus(ISOLATED_IO, stopMachine)
    expect([...held].sort()).toEqual([0, 1, 2, 3])
    expect(result.metrics.cpus_stopped).toBe(4)
    expect(rtPreempted).toBe(true)
    expect(result.metrics.rt_latency_max).toBeGreaterThan(1_000)
    expect(result.findings).toEqual([])
  })

  it('a module stop_machine() call leaves isolated CPUs running as well', async () => {
    const out = await runInline(
      `kreplay: 1
name: t
horizon: 20ms
machine: {cpus: 4, isolated: "2-3"}
tasks:
  - {name: caller, cpus: "0", program: [{stop_machine: {for: 2ms}}]}
  - {name: rt, cpus: "3", policy: fifo, priority: 99, program: [{spin: 5ms}]}
`,
      isolcpuSkip,
    )
    expect(out.result.metrics.cpus_stopped).toBe(2)
    expect(out.result.metrics.stall_max).toBeGreaterThanOrEqual(2_000_000)
    expect(out.result.metrics.rt_latency_max).toBe(0)
  })

  it('a get on the isolated CPU that straddles the refcount check keeps a freed module (timing); stop-machine waits for it', async () => {
    // The isolated CPU is CPU 1 of 4: in __try_stop_module its counter is read before those
    // of CPUs 2 and 3, then GOING is stored. A getter starting at `s` reads live; an
    // interrupt lands inside that step (steps cost 10ns here) and holds the CPU for 2us,
    // so its increment comes after the check. It then calls into the module for 1ms.
    const yaml = (s: number) => `kreplay: 1
name: t
horizon: 5ms
machine: {cpus: 4, isolated: "1", costs: {step: 10ns}}
modules: [{name: m}]
tasks:
  - {name: rmmod, cpus: "0", program: [{rmmod: m}]}
  - {name: io, cpus: "1", policy: fifo, priority: 99, start: ${s}ns, program: [{get: m}, {call: m, for: 1ms}, {put: m}]}
irqs:
  - {name: nic, cpus: "1", at: [${s + 3015}ns], cost: 2us}
`
    const found = new Set<string>()
    for (let s = 0; s <= 20_000; s += 500) {
      const skip = kinds((await runInline(yaml(s), isolcpuSkip)).result)
      // the module is freed under the reference, whose next step runs freed text
      if (skip.length) expect(skip).toEqual(['freed-while-referenced', 'use-after-free'])
      for (const kind of skip) found.add(kind)
      expect(kinds((await runInline(yaml(s), stopMachine)).result)).toEqual([])
    }
    expect([...found].sort()).toEqual(['freed-while-referenced', 'use-after-free'])
  })
})
