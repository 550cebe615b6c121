import {describe, expect, it} from 'vitest'
import {findingKinds} from '../helpers/log-query.ts'
import {handMachine, Runner} from '../helpers/step-runner.ts'
import {Engine} from '../../src/engine/engine.ts'
import {EWOULDBLOCK} from '../../src/engine/kernel.ts'
import {runScenario} from '../../src/engine/run.ts'
import type {StepGen, Task} from '../../src/engine/task.ts'
import {loadTraceArg} from '../../src/scenario/shipped.ts'
import atomicRefcnt from '../../variants/atomic-refcnt.ts'
import {runInline} from '../helpers/run-inline.ts'

const trace = loadTraceArg
const kinds = findingKinds

/** handMachine, plus the refcount's current value. */
function machine() {
  const m = handMachine(atomicRefcnt)
  return {...m, refcnt: () => m.mod.priv.refcnt.value}
}


function run<R>(e: Engine, name: string, cpu: number, gen: (t: Task) => StepGen<R>): Runner<R> {
  const t = e.m.spawn(name, 'normal', 0, [cpu], false, null, null)
  return new Runner(e, t, cpu, gen(t))
}

const NOFLAGS = {wait: false, force: false}

describe('atomic-refcnt: one atomic refcnt with MODULE_REF_BASE (3.19+)', () => {
  it('a held reference makes removal fail with EWOULDBLOCK and the base reference is put back', () => {
    const {e, k, mod, refcnt} = machine()
    expect(refcnt()).toBe(1) // MODULE_REF_BASE
    expect(run(e, 'holder', 1, () => atomicRefcnt.tryModuleGet(k, mod)).finish()).toBe(true)
    expect(refcnt()).toBe(2)
    expect(run(e, 'rmmod', 0, () => atomicRefcnt.deleteModule(k, mod, NOFLAGS)).finish()).toBe(EWOULDBLOCK)
    expect(refcnt()).toBe(2)
    expect(mod.state).toBe('live')
    // the module is still usable: another get works
    expect(run(e, 'other', 0, () => atomicRefcnt.tryModuleGet(k, mod)).finish()).toBe(true)
    expect(refcnt()).toBe(3)
  })

  it('an unused module is marked GOING with refcnt at 0, and a get after that fails', () => {
    const {e, k, mod, refcnt} = machine()
    const rm = run(e, 'rmmod', 0, () => atomicRefcnt.deleteModule(k, mod, NOFLAGS))
    rm.finish() // stops at the first sleep: synchronize_rcu() in free_module
    expect(mod.state).toBe('going')
    expect(refcnt()).toBe(0)
    expect(run(e, 'late', 1, () => atomicRefcnt.tryModuleGet(k, mod)).finish()).toBe(false)
    expect(refcnt()).toBe(0)
  })

  it('0 is absorbing: a get between the subtraction and the GOING store fails although the module still reads live', () => {
    const {e, k, mod, refcnt} = machine()
    const rm = run(e, 'rmmod', 0, () => atomicRefcnt.deleteModule(k, mod, NOFLAGS)).until(() => refcnt() === 0)
    expect(mod.state).toBe('live')
    expect(run(e, 'racer', 1, () => atomicRefcnt.tryModuleGet(k, mod)).finish()).toBe(false)
    expect(refcnt()).toBe(0)
    rm.finish()
    expect(mod.state).toBe('going')
  })

  it('a put between the subtraction and the add lets removal go on, and nothing is left referenced', () => {
    const {e, k, mod, refcnt} = machine()
    const holder = run(e, 'holder', 1, () => atomicRefcnt.tryModuleGet(k, mod))
    expect(holder.finish()).toBe(true)
    // atomic_sub_return(MODULE_REF_BASE) leaves 1: the holder's reference
    const rm = run(e, 'rmmod', 0, () => atomicRefcnt.deleteModule(k, mod, NOFLAGS)).until(() => refcnt() === 1)
    expect(mod.state).toBe('live')
    // the holder drops it before atomic_add_unless(refcnt, MODULE_REF_BASE, 0) runs
    run(e, 'holder-put', 1, () => atomicRefcnt.modulePut(k, mod)).finish()
    expect(refcnt()).toBe(0)
    rm.finish()
    expect(mod.state).toBe('going') // add_unless saw 0: the base was not put back
    expect(refcnt()).toBe(0)
    expect(run(e, 'late', 1, () => atomicRefcnt.tryModuleGet(k, mod)).finish()).toBe(false)
  })

  it('a put of a reference nobody holds only WARNs and never takes refcnt below 0', () => {
    const {e, k, mod, refcnt} = machine()
    run(e, 'rmmod', 0, () => atomicRefcnt.deleteModule(k, mod, NOFLAGS)).finish()
    expect(refcnt()).toBe(0)
    run(e, 'stray', 1, () => atomicRefcnt.modulePut(k, mod)).finish()
    expect(refcnt()).toBe(0)
    expect(e.logLines!.some((l) => l.what.includes('WARNING: module_put(m)'))).toBe(true)
  })

  it('frees the module only after a grace period, which a CPU in an interrupt handler holds up', async () => {
    const base = `kreplay: 1
name: t
horizon: 20ms
machine: {cpus: 2}
modules: [{name: m}]
tasks:
  - {name: rmmod, cpus: "0", start: 500us, program: [{rmmod: m}]}
`
    const quiet = await runInline(base, atomicRefcnt)
    expect(quiet.result.metrics.rmmod_latency).toBeGreaterThanOrEqual(1_000_000) // at least one tick
    expect(quiet.result.metrics.rmmod_latency).toBeLessThan(2_100_000)
    const busy = await runInline(base + 'irqs:\n  - {name: slow, cpus: "1", at: [800us], cost: 6ms}\n', atomicRefcnt)
    // CPU 1 is in an interrupt handler from 0.8ms to 6.8ms: no quiescent state there until then
    expect(busy.result.metrics.rmmod_latency).toBeGreaterThan(6_300_000)
    for (const out of [quiet, busy]) {
      expect(out.result.findings).toEqual([])
      expect(out.result.metrics.stall_total).toBe(0)
      expect(out.log.some((l) => l.what === 'delete_module(m) = 0')).toBe(true)
    }
  })

  it('never races get/call/put on every CPU, and never stops a CPU', () => {
    const s = trace('get-vs-remove')
    for (const seed of [1, 2, 3]) {
      const r = runScenario(s, atomicRefcnt, {seed}).result
      expect(kinds(r)).toEqual([])
      expect(r.metrics.stall_total).toBe(0)
      expect(r.metrics.cpus_stopped).toBe(0)
      expect(r.metrics.gets_ok).toBeGreaterThan(0)
    }
  })
})
