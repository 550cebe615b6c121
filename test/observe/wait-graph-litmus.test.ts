import {produce} from 'immer'
import {describe, expect, it} from 'vitest'
import {runScenario} from '../../src/engine/run.ts'
import type {Variant} from '../../src/engine/variant.ts'
import {loadTrace} from '../../src/scenario/load.ts'
import type {Scenario} from '../../src/scenario/types.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../src/variants/registry.ts'
import {helperCompletes} from '../fixtures/litmus/helper-completes.ts'
import keepsModuleMutex from '../fixtures/litmus/keeps-module-mutex.ts'
import {spinsInGet} from '../fixtures/litmus/spins-in-get.ts'

/**
 * Litmus tests of the wait graph's kinds of wait (docs/model.md, "Hangs and deadlocks"):
 * tiny traces (test/fixtures/litmus/) against tiny variants made to close a cycle through
 * one kind of wait, and against every shipped variant as the control, each with the exact
 * findings the machine must show.
 */
const fixture = (name: string) => loadTrace(new URL(`../fixtures/litmus/${name}.yaml`, import.meta.url).pathname)

/** The findings of one run, as `kind:task` (or `kind:cpuN`), sorted. */
function verdict(scenario: Scenario, variant: Variant): string[] {
  return runScenario(scenario, variant, {}).result.findings.map((f) => `${f.kind}:${f.task ?? `cpu${f.cpu}`}`).sort()
}

/** Each shipped variant's verdict. */
async function shipped(scenario: Scenario): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const id of SHIPPED_VARIANTS) out[id] = verdict(scenario, await loadVariant(id))
  return out
}

/** The details of the deadlock findings of one run, by task. */
function deadlockDetails(scenario: Scenario, variant: Variant): Record<string, string> {
  const fs = runScenario(scenario, variant, {}).result.findings.filter((f) => f.kind === 'deadlock')
  return Object.fromEntries(fs.map((f): [string, string] => [f.task ?? '', f.detail]))
}

const keeps: Variant = keepsModuleMutex

describe('the wait graph\'s kinds of wait, by litmus test', () => {
  it('refcount: rmmod waits for the count of a holder that waits on rmmod\'s module_mutex: a deadlock, whatever still runs', () => {
    const scenario = fixture('holder-loads-a-module')
    expect(verdict(scenario, keeps)).toEqual(['deadlock:getter', 'deadlock:rmmod'])
    expect(deadlockDetails(scenario, keeps)).toEqual({
      rmmod: 'rmmod waits on getter (refcount of dummy), getter waits on rmmod (lock module_mutex): a cycle',
      getter: 'getter waits on rmmod (lock module_mutex), rmmod waits on getter (refcount of dummy): a cycle',
    })
    // With nothing else left to run, the same cycle: not two plain hangs.
    const alone = produce(scenario, (s) => {
      s.tasks = s.tasks.filter((t) => t.name !== 'date')
    })
    expect(verdict(alone, keeps)).toEqual(['deadlock:getter', 'deadlock:rmmod'])
  })

  it('refcount, control: every shipped design drops module_mutex before it waits (or does not wait): the load and the put go through', async () => {
    // krmmod alone hangs: its mod->waiter is the exited krmmod thread, so the put wakes no one.
    expect(await shipped(fixture('holder-loads-a-module'))).toEqual({
      'stopref': [],
      'krmmod': ['hang:rmmod'],
      'stop-machine-run': [],
      'isolcpu-skip': [],
      'lockfree-naive': [],
      'stop-machine-kthreads': [],
      'sync-sched-wait': [],
      'stop-machine': [],
      'isolcpu-skip-cpustop': [],
      'atomic-refcnt': [],
    })
  })

  it('refcount, control: rmmod waits for the count of a holder deadlocked with another task: a plain hang behind the cycle', async () => {
    // Thread a holds the reference and kthread_stops b, which kthread_stops a. 3.13 and
    // later refuse the removal (-EWOULDBLOCK): only the cycle.
    const scenario = fixture('holder-in-a-cycle')
    const cycle = ['deadlock:a', 'deadlock:b']
    const waits = [...cycle, 'hang:rmmod'].sort()
    expect(verdict(scenario, keeps)).toEqual(waits)
    expect(await shipped(scenario)).toEqual({
      'stopref': ['affinity-lost:rmmod', ...waits],
      'krmmod': waits,
      'stop-machine-run': waits,
      'isolcpu-skip': waits,
      'lockfree-naive': waits,
      'stop-machine-kthreads': waits,
      'sync-sched-wait': waits,
      'stop-machine': cycle,
      'isolcpu-skip-cpustop': cycle,
      'atomic-refcnt': cycle,
    })
  })

  it('completion with a named completer: rmmod waits under module_mutex for a helper that takes module_mutex: a deadlock', () => {
    const scenario = fixture('rmmod-with-a-ticker')
    expect(verdict(scenario, helperCompletes(true))).toEqual(['deadlock:helper', 'deadlock:rmmod'])
    expect(deadlockDetails(scenario, helperCompletes(true))).toEqual({
      rmmod: 'rmmod waits on helper (wait for helper), helper waits on rmmod (lock module_mutex): a cycle',
      helper: 'helper waits on rmmod (lock module_mutex), rmmod waits on helper (wait for helper): a cycle',
    })
  })

  it('completion, control: the helper completes without the mutex: no finding', () => {
    const r = runScenario(fixture('rmmod-with-a-ticker'), helperCompletes(false), {}).result
    expect(r.findings).toEqual([])
    expect(r.metrics.rmmod_latency).toBeLessThan(5_000_000)
  })

  it('grace period: a getter spinning with preemption off until rmmod has finished, rmmod in synchronize_sched: a held CPU, not a deadlock', () => {
    // The one faithful case of a grace period waiting on its waiter: the CPU that owes the
    // quiescent state runs a task with preemption off (sleeping there is "scheduling while
    // atomic"), so that task is never hung, and the waiter polls on a timer. The machine
    // shows the held CPU; rmmod's delete_module is still open at the end.
    const scenario = fixture('grace-period-spinner')
    expect(verdict(scenario, spinsInGet(true))).toEqual(['machine-stall:cpu0', 'soft-lockup:cpu0'])
    const r = runScenario(scenario, spinsInGet(true), {}).result
    expect(r.ended).toBe('horizon')
    expect(r.metrics.rmmod_latency).toBeGreaterThan(190_000_000)
  })

  it('grace period, control: the same getter spinning preemptibly lets its CPU pass a quiescent state: no finding', () => {
    const r = runScenario(fixture('grace-period-spinner'), spinsInGet(false), {}).result
    expect(r.findings).toEqual([])
    expect(r.ended).toBe('idle')
    expect(r.metrics.rmmod_latency).toBeLessThan(5_000_000)
  })

  it('mutex: a waiter waits on whoever owns the lock when the run ends, not on the owner it first saw', async () => {
    // a holds module_mutex across m1's exit, then hands it to b and exits; b's exit
    // outlasts the run. c, still asleep on the mutex, waits on b, which runs: no hang.
    const scenario = fixture('mutex-handover')
    expect(verdict(scenario, await loadVariant('stopref'))).toEqual([])
  })
})
