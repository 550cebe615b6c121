import {describe, expect, it} from 'vitest'
import {SeededChoices} from '../../src/engine/choice.ts'
import {runScenario, type RunOutput} from '../../src/engine/run.ts'
import {loadTrace, parseTrace} from '../../src/scenario/load.ts'
import {loadVariant, SHIPPED_VARIANTS} from '../../src/variants/registry.ts'

/**
 * Litmus tests of the detectors: tiny traces (test/fixtures/litmus/) run against every
 * shipped variant, each with the exact set of finding kinds (and the task or CPU where
 * that matters) the machine must show.
 */
const fixture = (name: string) => loadTrace(new URL(`../fixtures/litmus/${name}.yaml`, import.meta.url).pathname)

/** Each shipped variant's finding kinds, as `kind:task` (or `kind:cpuN`) sorted. */
async function verdicts(scenario: ReturnType<typeof loadTrace>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const id of SHIPPED_VARIANTS) {
    const r: RunOutput = runScenario(scenario, await loadVariant(id), {})
    out[id] = r.result.findings.map((f) => `${f.kind}:${f.task ?? `cpu${f.cpu}`}`).sort()
  }
  return out
}

describe('detector litmus tests', () => {
  it('machine-stall and livelock: FIFO 99 stoppers that cannot preempt an RT hog hold the CPU a date task needs', async () => {
    // krmmod yield-loops at FIFO 99 on CPU 0 for the hog's 300 ms: the SCHED_NORMAL date
    // task there waits behind it (machine-stall), and the ack it waits for never comes
    // (livelock). stopref's stoppers are SCHED_NORMAL: they yield to date, and rmmod and
    // kmodule1 yield-loop (livelock). 2.6.24's kstopmachine and 2.6.27's kstop threads
    // wait at FIFO 99 like krmmod. The stop class, no stop at all, or a stop that skips the
    // hog's isolated CPU leaves date alone.
    expect(await verdicts(fixture('date-behind-stoppers'))).toEqual({
      'stopref': ['livelock:kmodule1', 'livelock:rmmod'],
      'krmmod': ['livelock:krmmod', 'machine-stall:cpu0'],
      'stop-machine-run': ['livelock:kstopmachine', 'machine-stall:cpu0'],
      'isolcpu-skip': [],
      'lockfree-naive': [],
      'stop-machine-kthreads': ['livelock:kstop0', 'livelock:kstop1', 'machine-stall:cpu0'],
      'sync-sched-wait': [],
      'stop-machine': [],
      'isolcpu-skip-cpustop': [],
      'atomic-refcnt': [],
    })
  })

  it('the date task of that trace shows the stall krmmod causes, and no other', async () => {
    const scenario = fixture('date-behind-stoppers')
    const gap = async (id: string) => runScenario(scenario, await loadVariant(id), {}).result.metrics.mark_gap_max
    expect(await gap('krmmod')).toBeGreaterThan(290_000_000)
    expect(await gap('stop-machine')).toBeLessThan(11_000_000)
  })

  it('use-after-free: an irq handler module exit left registered runs freed text on every variant', async () => {
    const v = await verdicts(fixture('irq-left-registered'))
    for (const id of SHIPPED_VARIANTS) expect(v[id].filter((k) => !k.startsWith('affinity-lost'))).toEqual(['use-after-free:irq/dev'])
  })

  it('use-after-free: a call into a freed module from a task holding no reference', async () => {
    const v = await verdicts(fixture('call-after-free'))
    for (const id of SHIPPED_VARIANTS) expect(v[id].filter((k) => !k.startsWith('affinity-lost'))).toEqual(['use-after-free:caller'])
  })

  it('deadlock: two module threads each kthread_stop the other', async () => {
    const v = await verdicts(fixture('stop-each-other'))
    for (const id of SHIPPED_VARIANTS) expect(v[id]).toEqual(['deadlock:a', 'deadlock:b'])
  })

  it('hang by the wait graph, and hung-task by the trace\'s threshold: rmmod waits for a reference never dropped', async () => {
    // The eras with a blocking delete_module (2.6.0 to 3.12) wait; 3.13 and later refuse
    // with -EWOULDBLOCK. Nothing else runs: no wakeup can come, and the run ends (idle)
    // long before the 100 ms hung-task threshold.
    expect(await verdicts(fixture('wait-for-an-open-file'))).toEqual({
      'stopref': ['affinity-lost:rmmod', 'hang:rmmod'],
      'krmmod': ['hang:rmmod'],
      'stop-machine-run': ['hang:rmmod'],
      'isolcpu-skip': ['hang:rmmod'],
      'lockfree-naive': ['hang:rmmod'],
      'stop-machine-kthreads': ['hang:rmmod'],
      'sync-sched-wait': ['hang:rmmod'],
      'stop-machine': [],
      'isolcpu-skip-cpustop': [],
      'atomic-refcnt': [],
    })
  })

  it('hang needs nothing left to wake the task: with a task still running, only a sleeper no memory points at is hung', async () => {
    const ticking = parseTrace(JSON.stringify({
      kreplay: 1, name: 'ticking', horizon: '1s', machine: {cpus: 2, hung_task: '100ms'}, modules: [{name: 'dummy', refs: 1}],
      tasks: [
        {name: 'rmmod', start: '1ms', program: [{rmmod: 'dummy', wait: true}]},
        {name: 'date', program: [{repeat: 'forever', do: [{mark: 'date'}, {sleep: '10ms'}]}]},
      ],
    }), 'ticking.json')
    // krmmod made the exited krmmod thread mod->waiter: nothing points at rmmod any more.
    expect(await verdicts(ticking)).toEqual({
      'stopref': ['affinity-lost:rmmod', 'hung-task:rmmod'],
      'krmmod': ['hang:rmmod', 'hung-task:rmmod'],
      'stop-machine-run': ['hung-task:rmmod'],
      'isolcpu-skip': ['hung-task:rmmod'],
      'lockfree-naive': ['hung-task:rmmod'],
      'stop-machine-kthreads': ['hung-task:rmmod'],
      'sync-sched-wait': ['hung-task:rmmod'],
      'stop-machine': [],
      'isolcpu-skip-cpustop': [],
      'atomic-refcnt': [],
    })
  })

  it('isolated-rt-hog: every design whose stoppers cannot preempt the FIFO 99 hog stalls or livelocks; the stop class does neither', async () => {
    const scenario = loadTrace(new URL('../../traces/isolated-rt-hog.yaml', import.meta.url).pathname)
    const kinds = async (id: string) => runScenario(scenario, await loadVariant(id), {choices: new SeededChoices(1)}).result.findings.map((f) => f.kind)
    for (const id of ['stopref', 'krmmod']) expect((await kinds(id)).some((k) => k === 'machine-stall' || k === 'livelock')).toBe(true)
    const stopClass = await kinds('stop-machine')
    expect(stopClass).not.toContain('machine-stall')
    expect(stopClass).not.toContain('livelock')
  })
})
