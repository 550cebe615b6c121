import {describe, expect, it} from 'vitest'
import {findingKinds} from '../helpers/log-query.ts'
import {handMachine, Runner} from '../helpers/step-runner.ts'
import {Engine} from '../../src/engine/engine.ts'
import {EWOULDBLOCK} from '../../src/engine/kernel.ts'
import {runScenario} from '../../src/engine/run.ts'
import type {StepGen, Task} from '../../src/engine/task.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import lockfreeNaive from '../../variants/lockfree-naive.ts'
import stopMachine from '../../variants/stop-machine.ts'
import {runInline} from '../helpers/run-inline.ts'

const trace = loadTraceArg
const kinds = findingKinds

const machine = () => handMachine(lockfreeNaive)


function run<R>(e: Engine, name: string, cpu: number, gen: (t: Task) => StepGen<R>): Runner<R> {
  const t = e.m.spawn(name, 'normal', 0, [cpu], false, null, null)
  return new Runner(e, t, cpu, gen(t))
}

const NOFLAGS = {wait: false, force: false}

describe('lockfree-naive: 2.6.24 per-CPU refcounts with the stop taken out', () => {
  it('a getter that has read live but not yet incremented when the remover sums is left holding a freed module', () => {
    const {e, k, mod} = machine()
    const getter = run(e, 'io', 1, () => lockfreeNaive.tryModuleGet(k, mod))
    getter.step() // get_cpu()
    getter.step() // module_is_live(): true
    expect(mod.priv.ref.values[1]).toBe(0) // local_inc() not yet done
    // the remover runs start to end in between: both sums read 0, GOING, exit, free
    expect(run(e, 'rmmod', 0, () => lockfreeNaive.deleteModule(k, mod, NOFLAGS)).finish()).toBe(0)
    expect(mod.freed).toBe(true)
    expect(e.obs.findings).toEqual([])
    // the getter now increments a counter in freed module memory, and believes it holds a reference
    expect(getter.finish()).toBe(true)
    expect(e.obs.findings).toEqual([
      expect.objectContaining({kind: 'use-after-free', task: 'io', detail: 'io incremented ref[].count of module m after it was freed'}),
    ])
  })

  it('the same getter one step earlier is seen: the sum reads 1 and removal fails', () => {
    const {e, k, mod} = machine()
    expect(run(e, 'io', 1, () => lockfreeNaive.tryModuleGet(k, mod)).finish()).toBe(true)
    expect(run(e, 'rmmod', 0, () => lockfreeNaive.deleteModule(k, mod, NOFLAGS)).finish()).toBe(EWOULDBLOCK)
    expect(mod.state).toBe('live')
    expect(e.obs.findings).toEqual([])
  })

  it('rmmod --wait marks the module GOING at once, and the holder\'s put wakes it to finish', async () => {
    const out = await runInline(
      `kreplay: 1
name: t
horizon: 10ms
machine: {cpus: 2}
modules: [{name: m}]
tasks:
  - {name: holder, cpus: "1", program: [{get: m}, {sleep: 2ms}, {put: m}, {get: m}]}
  - {name: rmmod, cpus: "0", start: 500us, program: [{rmmod: m, wait: true}]}
`,
      lockfreeNaive,
    )
    expect(out.result.findings).toEqual([])
    expect(out.result.metrics.gets_ok).toBe(1)
    expect(out.result.metrics.gets_failed).toBe(1) // the second get: GOING, then gone
    expect(out.result.metrics.rmmod_latency).toBeGreaterThan(1_400_000) // slept until the put at ~2ms
    expect(out.result.metrics.rmmod_latency).toBeLessThan(1_700_000)
    expect(out.log.some((l) => l.what === 'delete_module(m) = 0')).toBe(true)
  })

  it('an interrupt between module_is_live and local_inc hides a get from both sums (timing); stop_machine does not let it', async () => {
    // Steps cost 10ns here, so that an interrupt can land inside one. The getter's get
    // starts at `s`; an interrupt arrives in the middle of its module_is_live() step and
    // keeps the CPU for 20us, while the remover on CPU 0 sums, marks GOING and frees.
    const yaml = (s: number) => `kreplay: 1
name: t
horizon: 5ms
machine: {cpus: 2, costs: {step: 10ns}}
modules: [{name: m}]
tasks:
  - {name: rmmod, cpus: "0", program: [{rmmod: m}]}
  - {name: io, cpus: "1", start: ${s}ns, program: [{get: m}, {call: m, for: 1ms}, {put: m}]}
irqs:
  - {name: nic, cpus: "1", at: [${s + 3015}ns], cost: 20us}
`
    const hits: number[] = []
    for (let s = 0; s <= 400; s += 20) {
      const naive = kinds((await runInline(yaml(s), lockfreeNaive)).result)
      if (naive.length) {
        expect(naive).toEqual(['use-after-free'])
        hits.push(s)
      }
      expect(kinds((await runInline(yaml(s), stopMachine)).result)).toEqual([])
    }
    expect(hits.length).toBeGreaterThan(0)
  })

  it('the shipped get-vs-remove trace shows the race on its seed, and stop-machine does not', () => {
    const s = trace('get-vs-remove')
    const naive = runScenario(s, lockfreeNaive).result
    expect(kinds(naive)).toEqual(['freed-while-referenced', 'use-after-free'])
    expect(naive.metrics.stall_total).toBe(0)
    expect(kinds(runScenario(s, stopMachine).result)).toEqual([])
  })
})
